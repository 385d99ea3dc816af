"""The workbench used as an officer would, in a real headless Chromium against the running services and the
council's OpenID Connect provider: a revenues officer signs in, finds a resident by postcode, opens the single
view, applies a hold with its authority and review date, and recovery's case record names that officer; a
person without any of the workbench's roles is refused. Every page passes axe-core's WCAG 2.2 AA rules, fits a
390 px phone without sideways scrolling, and works from the keyboard."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import httpx
import pytest

from services.workbench.rendering import day
from shared.contracts.council_systems import LiableParty, PaymentReceived
from tests.council_bus import eventually, publish
from tests.e2e.insolvency_service import new_standard_breathing_space, push
from tests.e2e.residents import a_charge, raised
from tests.identity import officer_headers
from tests.integration.workbench.conftest import INSOLVENCY_SERVICE_SECRET
from tests.integration.workbench.officer_at_the_browser import (
    PHONE,
    a_resident_of_their_own_postcode,
    checked,
    signed_in,
)

pytestmark = pytest.mark.browser

NIL_PAYMENT = {"channel": "cash", "amount_pence": 0, "received_on": date(2026, 5, 2)}


async def a_resident_with_council_tax(
    council, person: LiableParty | None = None, amount_pence: int = 1_450_00
) -> tuple[LiableParty, dict]:
    """A resident (of their own postcode unless given) owing council tax due ten days ago; with its case."""
    person = person or a_resident_of_their_own_postcode()
    today = date.today()
    debt = await raised(
        a_charge(
            person,
            "council_tax",
            amount_pence,
            raised_on=today - timedelta(days=40),
            due_date=today - timedelta(days=10),
        )
    )
    return person, debt


async def test_an_officer_finds_a_resident_by_postcode_and_holds_recovery_under_their_own_name(
    council, workbench, browser
):
    person, debt = await a_resident_with_council_tax(council)
    page = await signed_in(browser, workbench, "revenues.officer")
    assert "Priya Shah (revenues.officer)" in await page.inner_text("#signed-in-as")
    await checked(page, "search")

    await page.fill("#query", person.address.postcode)
    await page.click("#search")
    assert await page.inner_text("#result-count") == f"1 customer found for “{person.address.postcode}”"
    await checked(page, "search-results")
    await page.click(f"text={person.title} {person.first_names} {person.surname}")

    assert await page.inner_text("#customer-name") == f"{person.title} {person.first_names} {person.surname}"
    assert await page.inner_text("#owed") == "£1,450.00"
    assert "Not shown" not in await page.inner_text("main")  # every service answered a revenues officer
    await checked(page, "single-view")

    await page.click(f"#actions-{debt['case_id']} >> text=Put recovery on hold")
    await page.click("#apply-hold")  # nothing chosen: every missing answer is named
    assert "Select why recovery is held" in await page.inner_text(".govuk-error-summary")
    await checked(page, "hold-form-with-errors")

    review_on = date.today() + timedelta(days=28)
    await page.check("input[name=kind][value=appeal]")
    await page.fill("#reason", "Appeal to the Valuation Tribunal lodged, reference VTE-2026-118")
    await page.fill("#review-on-day", str(review_on.day))
    await page.fill("#review-on-month", str(review_on.month))
    await page.fill("#review-on-year", str(review_on.year))
    await page.click("#apply-hold")

    assert "Hold applied" in await page.inner_text("#done")
    holds = await page.inner_text(f"#holds-{debt['debt_id']}")
    assert "Appeal to the Valuation Tribunal lodged" in holds
    assert "Priya Shah (revenues.officer)" in holds
    await checked(page, "single-view-after-hold")

    async with httpx.AsyncClient(base_url=council["recovery"].url, headers=officer_headers("auditor")) as api:
        case = (await api.get(f"/cases/{debt['case_id']}")).json()
    (hold,) = [h for h in case["holds"] if h["kind"] == "appeal"]
    assert hold["authorised_by"] == "Priya Shah (revenues.officer)"
    assert hold["review_on"] == review_on.isoformat()
    assert any("revenues.officer" in line["summary"] for line in case["record"] if "hold" in line["entry"])


async def test_the_work_trays_count_what_waits_and_name_what_no_service_offers(council, workbench, browser):
    page = await signed_in(browser, workbench, "senior.officer")
    await page.goto(f"{workbench}/trays")
    counts = await page.inner_text("#tray-counts")
    assert "Customer match reviews" in counts
    assert "Write-off schedules awaiting a decision" in counts
    assert "Refunds due" in counts
    assert "Holds due for review" in counts
    payment_files = await page.inner_text("#count-quarantined-payment-files")
    assert "Not available" not in payment_files and any(c.isdigit() for c in payment_files)
    # Dead letters are the operations team's: a senior officer is told so, per service.
    assert "for the operations team" in await page.inner_text("#count-dead-letters-billing")
    await checked(page, "work-trays")


async def test_the_operations_team_sees_every_service_s_dead_letters_waiting(council, workbench, browser):
    page = await signed_in(browser, workbench, "operations")
    await page.goto(f"{workbench}/trays")
    for service in ("billing", "recovery", "breathing-space", "agents-gateway", "write-off"):
        row = await page.inner_text(f"#count-dead-letters-{service}")
        assert "Not available" not in row and any(c.isdigit() for c in row), (service, row)
    await checked(page, "work-trays-dead-letters")


async def test_an_operator_discards_a_dead_letter_from_its_tray_and_billing_records_who_and_why(
    council, workbench, browser
):
    # A payment for nil is refused by billing's payment handler until it is dead-lettered.
    sent = await publish(PaymentReceived(**{**NIL_PAYMENT, "channel_reference": f"NIL-{uuid4().hex[:10]}"}))
    assert sent is not None
    async with httpx.AsyncClient(
        base_url=council["billing"].url, headers=officer_headers("operations")
    ) as api:

        async def ours() -> dict | None:
            letters = (await api.get("/dead-letters")).json()["dead_letters"]
            return next((d for d in letters if d["event_id"] == str(sent.event_id)), None)

        letter = await eventually(ours, lambda found: found is not None)
        assert letter is not None

        page = await signed_in(browser, workbench, "operations")
        await page.goto(f"{workbench}/trays")
        assert "Not available" not in await page.inner_text("#count-dead-letters-billing")
        link = page.locator(f"#items-dead-letters-billing a[href='/dead-letters/billing/{letter['id']}']")
        assert "a payment must be for more than nil" in await link.inner_text()
        await link.click()
        await page.wait_for_selector("#dead-letter")
        await page.click("#message summary")
        assert '"amount_pence": 0' in await page.inner_text("#message pre")
        await page.click("#settle")  # nothing chosen: both answers are named
        summary = await page.inner_text(".govuk-error-summary")
        assert "Select whether to replay or discard it" in summary
        await checked(page, "dead-letter-with-errors")
        await page.check("input[name=settlement][value=discard]")
        await page.fill("#reason", "A nil payment sent in error by the test council; nothing to apply")
        await page.click("#settle")
        assert "Dead letter discarded" in await page.inner_text("#done")

        settled = next(
            d
            for d in (await api.get("/dead-letters", params={"include_settled": True})).json()["dead_letters"]
            if d["id"] == letter["id"]
        )
    assert settled["settlement"] == "discarded"
    assert settled["settled_by"] == "Operations Duty Engineer (operations)"
    assert settled["settlement_reason"].startswith("A nil payment sent in error")


async def test_a_hold_past_its_review_date_is_in_the_tray_and_opens_the_case_s_holds_on_the_single_view(
    council, workbench, browser
):
    person, debt = await a_resident_with_council_tax(council)
    name = f"{person.title} {person.first_names} {person.surname}"
    today = date.today()
    async with httpx.AsyncClient(
        base_url=council["recovery"].url, headers=officer_headers("revenues.officer")
    ) as recovery:
        held = await recovery.post(
            f"/cases/{debt['case_id']}/holds",
            json={
                "kind": "manual",
                "reason": "Complaint to the Local Government Ombudsman under investigation",
                "starts_on": (today - timedelta(days=10)).isoformat(),
                "review_on": (today - timedelta(days=3)).isoformat(),
            },
        )
        assert held.status_code == 201, held.text

        async def this_case_s_hold() -> dict | None:
            found = (await recovery.get("/holds/due-for-review")).json()["holds"]
            return next((h for h in found if h["case_id"] == str(debt["case_id"])), None)

        due = await eventually(this_case_s_hold, lambda h: h is not None and h["debtor_name"] == name)

    page = await signed_in(browser, workbench, "revenues.officer")
    await page.goto(f"{workbench}/trays")
    count = await page.inner_text("#count-holds-due-for-review")
    assert "day" in count  # how long the oldest has waited since its review date
    item = page.locator("#items-holds-due-for-review li", has_text=due["debt_reference"])
    label = await item.inner_text()
    assert f"{name}, {due['debt_reference']} — Other hold authorised by an officer: Complaint" in label
    assert "waiting 3 days" in label
    await checked(page, "work-trays-holds-due-for-review")

    await item.locator("a").click()
    await page.wait_for_selector("#customer-name")
    assert await page.inner_text("#customer-name") == name
    holds = page.locator(f"#case-holds-{debt['case_id']}")
    assert await holds.is_visible()
    assert "Complaint to the Local Government Ombudsman" in await holds.inner_text()
    assert await holds.locator("a", has_text="Lift").count() == 1


async def test_the_single_view_shows_the_customer_s_breathing_space_as_breathing_space_has_it(
    council, workbench, browser
):
    # Breathing space matches exactly on name, date of birth and postcode.
    with_birthday = a_resident_of_their_own_postcode().model_copy(update={"date_of_birth": date(1961, 3, 14)})
    person, debt = await a_resident_with_council_tax(council, with_birthday, 980_00)
    today = date.today()
    moratorium = f"BS-WB-{uuid4().hex[:10].upper()}"
    started = today - timedelta(days=2)
    body = new_standard_breathing_space(
        moratorium, person, [(debt["external_reference"], "council_tax", 980_00)], start_date=started
    )
    async with council["breathing_space"].client() as breathing_space:
        pushed = await push(breathing_space, body, INSOLVENCY_SERVICE_SECRET)
        assert pushed.status_code == 202, pushed.text
    async with httpx.AsyncClient(
        base_url=council["recovery"].url, headers=officer_headers("auditor")
    ) as recovery:

        async def holds_of_the_case() -> list[dict]:
            return list((await recovery.get(f"/cases/{debt['case_id']}")).json()["holds"])

        await eventually(holds_of_the_case, lambda holds: any(h["reference"] == moratorium for h in holds))

    page = await signed_in(browser, workbench, "revenues.officer")
    await page.goto(f"{workbench}/customers/{debt['customer_id']}")
    row = await page.inner_text(f"#moratorium-{moratorium}")
    assert "Standard breathing space" in row
    assert day(started) in row and day(started + timedelta(days=60)) in row  # the 60 days, inclusive
    assert "Active" in row and debt["external_reference"] in row
    assert "Not matched" not in row
    assert moratorium in await page.inner_text("#breathing-space")
    await checked(page, "single-view-breathing-space")


async def test_an_officer_records_a_counter_payment_the_payer_directs_and_billing_applies_it(
    council, workbench, browser
):
    _person, debt = await a_resident_with_council_tax(council, amount_pence=300_00)
    receipt = f"RCPT-{uuid4().hex[:8].upper()}"
    page = await signed_in(browser, workbench, "revenues.officer")
    await page.goto(f"{workbench}/customers/{debt['customer_id']}")
    await page.click("#record-counter-payment-link")
    await page.click("#record-counter-payment")  # nothing entered: every missing answer is named
    summary = await page.inner_text(".govuk-error-summary")
    assert "Enter the amount paid" in summary and "Select how the payment was made" in summary
    await checked(page, "counter-payment-with-errors")

    await page.fill("#amount", "120.50")
    await page.check("input[name=method][value=cash]")
    await page.fill("#receipt-reference", receipt)
    await page.check(f"input[name=debt-ids][value='{debt['debt_id']}']")
    await page.click("#record-counter-payment")
    assert f"Counter payment of £120.50 recorded, receipt {receipt}" in await page.inner_text("#done")
    assert receipt in await page.inner_text("#payments")
    assert await page.inner_text("#owed") == "£179.50"
    await checked(page, "single-view-after-counter-payment")

    async with httpx.AsyncClient(base_url=council["billing"].url, headers=officer_headers("auditor")) as api:
        customer = (await api.get(f"/customers/{debt['customer_id']}")).json()
    (paid,) = [p for p in customer["payments"] if p["channel_reference"] == receipt]
    assert paid["channel"] == "cash" and paid["amount_pence"] == 120_50


async def test_a_person_without_a_workbench_role_is_refused(council, workbench, browser):
    page = await signed_in(browser, workbench, "no.roles")
    assert await page.inner_text("h1") == "You do not have access"
    assert "holds none of the roles" in await page.inner_text("#refused-reason")
    response = await page.goto(f"{workbench}/trays")
    assert response is not None and response.status == 403
    await checked(page, "refused")


async def test_the_pages_fit_a_phone_and_work_from_the_keyboard(council, workbench, browser):
    person, debt = await a_resident_with_council_tax(council)
    page = await signed_in(browser, workbench, "revenues.officer", viewport=PHONE)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    await page.keyboard.press("Enter")
    await page.focus("#query")
    await page.keyboard.type(person.address.postcode)
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#result-count")
    await checked(page, "search-results-phone")
    await page.focus("[data-customer] a")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#customer-name")
    await checked(page, "single-view-phone")
    await page.focus(f"#actions-{debt['case_id']} a >> nth=0")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#record-contact")
    await page.focus("input[name=channel][value=phone]")
    await page.keyboard.press("Space")
    await page.focus("input[name=direction][value=inbound]")
    await page.keyboard.press("Space")
    await page.focus("#summary")
    await page.keyboard.type("Asked for time to pay; sending a budget sheet")
    await page.focus("#record-contact")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#done")
    assert "Asked for time to pay" in await page.inner_text("#contacts")
    await checked(page, "contact-recorded-phone")


async def test_the_accessibility_check_finds_what_breaks_wcag(browser):
    from tests.integration.workbench.officer_at_the_browser import accessibility_violations

    page = await (await browser.new_context()).new_page()
    await page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1><img src="x.png">'
        '<a href="/x"></a><p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    found = {v["id"] for v in await accessibility_violations(page)}
    assert {"image-alt", "link-name", "color-contrast"} <= found
