"""Issue 19 at the workbench, in a real headless Chromium against the running services: an invoice whose
timetable has run out waits in the officers' tray "Timetable exhausted: awaiting your decision" (debtor, debt
reference, balance, last step, days waiting); the item opens the case on the single view, where a revenues
officer takes the decision on a GOV.UK form (its errors named first, the insolvency fields asked only for an
insolvency) and recovery asks for the write-off with the officer's reason, naming the officer from the token.
Every page passes axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.e2e.residents import a_charge, case_record, raised, steps_taken
from tests.identity import officer_headers
from tests.integration.workbench.officer_at_the_browser import (
    a_resident_of_their_own_postcode,
    checked,
    signed_in,
)

pytestmark = pytest.mark.browser


async def test_an_exhausted_invoice_waits_in_the_tray_until_a_revenues_officer_decides_the_write_off(
    council, workbench, browser
):
    # Derby's sundry timetable: reminders at due+1 and due+31, final notice at due+61, legal options 14 days
    # later, and its write-off point 90 days after that; three days on it has waited three days.
    today = date.today()
    due = today - timedelta(days=168)
    person = a_resident_of_their_own_postcode()
    name = f"{person.title} {person.first_names} {person.surname}"
    invoice = await raised(
        a_charge(person, "sundry", 180_00, raised_on=due - timedelta(days=30), due_date=due)
    )
    case_id = invoice["case_id"]
    for n in (0, 1, 31, 61, 75, 165):
        await council.daily_run(due + timedelta(days=n))
    await council.daily_run(today)
    assert [s[0] for s in await steps_taken(case_id)][-1] == "write_off_request", await case_record(case_id)

    page = await signed_in(browser, workbench, "revenues.officer")
    await page.goto(f"{workbench}/trays")
    count = await page.inner_text("#count-timetable-exhausted")
    assert "Timetable exhausted: awaiting your decision" in count and "day" in count
    item = page.locator("#items-timetable-exhausted li", has_text=invoice["external_reference"])
    label = await item.inner_text()
    assert f"{name}, {invoice['external_reference']} — " in label
    assert "owed, last step write off request" in label and "waiting 3 days" in label
    await checked(page, "work-trays-timetable-exhausted")

    await item.locator("a").click()
    await page.wait_for_selector("#customer-name")
    panel = page.locator(f"#exhausted-{case_id}")
    assert "Timetable exhausted: awaiting your decision" in await panel.inner_text()
    await checked(page, "single-view-awaiting-decision")
    await panel.locator("a", has_text="Take the decision").click()

    await page.click("#take-exhausted-decision")  # nothing chosen: the decision is asked for
    assert "Select what happens to this debt" in await page.inner_text(".govuk-error-summary")
    await page.check("input[name=decision][value=write_off]")
    assert not await page.is_visible("#insolvency-fields")  # asked only for an insolvency
    await page.select_option("#write-off-reason", "insolvency")
    assert await page.is_visible("#insolvency-order-date-day")
    await page.click("#take-exhausted-decision")  # an insolvency without the order's date, amount or evidence
    summary = await page.inner_text(".govuk-error-summary")
    assert "Enter the evidence" in summary and "Enter the date of the insolvency order" in summary
    assert "Enter what was owed on the date of the order" in summary
    assert await page.is_visible("#insolvency-fields")  # the answers kept, the conditional open
    await checked(page, "exhausted-decision-with-errors")

    await page.select_option("#write-off-reason", "uneconomic_to_pursue")
    assert not await page.is_visible("#insolvency-fields")
    await page.fill(
        "#evidence", "Legal options considered: a county court claim would cost more than the debt"
    )
    await page.fill("#notes", "No assets traced")
    await page.click("#take-exhausted-decision")
    assert "Decision recorded: the write-off is requested" in await page.inner_text("#done")
    await checked(page, "single-view-after-exhausted-decision")

    async with httpx.AsyncClient(base_url=council["recovery"].url, headers=officer_headers("auditor")) as api:
        case = (await api.get(f"/cases/{case_id}")).json()
        tray = (await api.get("/cases/awaiting-decision")).json()
    (request,) = case["write_off_requests"]
    assert request["reason_code"] == "uneconomic_to_pursue"
    assert request["requested_by"] == "Priya Shah (revenues.officer)"
    assert any(
        line["entry"] == "exhausted_decision"
        and "Priya Shah (revenues.officer) decided to write off" in line["summary"]
        for line in case["record"]
    )
    assert str(case_id) not in {c["case_id"] for c in tray["cases"]}  # out of the tray while it is considered
    assert request["amount_pence"] >= 180_00  # the invoice and any late-payment charges on it


async def test_only_gov_uk_s_known_aria_expanded_on_a_conditional_radio_is_let_through(browser):
    from tests.integration.workbench.officer_at_the_browser import accessibility_violations

    page = await (await browser.new_context()).new_page()
    await page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1><fieldset><legend>Decide</legend>'
        '<input class="govuk-radios__input" id="a" name="d" type="radio" value="a" aria-controls="c" '
        'aria-expanded="false"><label for="a">A</label>'
        '<input class="govuk-radios__input" id="b" name="d" type="radio" value="b" aria-pressed="true">'
        '<label for="b">B</label><div id="c">more</div></fieldset>'
        '<input class="other" id="x" type="radio" name="e" aria-expanded="true"><label for="x">X</label>'
        "</main></body></html>"
    )
    (found,) = await accessibility_violations(page)
    assert found["id"] == "aria-allowed-attr"
    assert [node.split(" id=")[1][:3] for node in found["nodes"]] == ['"b"', '"x"']
