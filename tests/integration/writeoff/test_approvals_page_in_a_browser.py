"""The approvals pages, driven in a real headless chromium (Debian's, through Playwright) against the service's
HTTP app served by a real uvicorn on a loopback port, signing in through the real identity provider's sign-in
page (authorization code with PKCE): see the queue, read each line's debtor, reason and evidence, reject a line
with a reason, sign under the statement of no interest; declare an interest by finding the person; a signature
without the statement, a forged session cookie and a person without a write-off role are refused."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright

from services.writeoff.domain.debtors import debt_age
from tests.identity import DEMO_PASSWORD
from tests.integration.writeoff.desk import (
    Officer,
    a_debt,
    debt_known,
    debtor_known,
    pending_requests_from_recovery,
    recovery_asks,
    settled_status,
)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def approvals_site(writeoff_service):
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            writeoff_service.http_app, host="127.0.0.1", port=port, log_config=None, access_log=False
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.fixture
async def browser():
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()


async def at_the_providers_sign_in_page(browser: Browser, site: str, path: str = "/approvals") -> Page:
    """A fresh browser opening a page: sent to the council's identity provider to sign in first."""
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{site}{path}")
    assert not page.url.startswith(site), page.url  # at the provider, not on the approvals pages
    assert await page.is_visible("input[name=login]")
    return page


async def signed_in_page(browser: Browser, site: str, person_id: str) -> Page:
    page = await at_the_providers_sign_in_page(browser, site)
    await page.fill("input[name=login]", person_id)
    await page.fill("input[name=password]", DEMO_PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{site}/approvals")
    assert person_id in await page.inner_text("#signed-in-as")
    return page


async def test_an_approver_sees_who_owes_each_line_and_signs_rejecting_one_line(
    writeoff_service, client, bus, approvals_site, browser
):
    requests = await pending_requests_from_recovery(2, 450_00)
    kept, doubtful = (str(r.request_id) for r in requests)
    debtor = await debtor_known(requests[0].customer_id)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(
        *(r.request_id for r in requests)
    )

    page = await signed_in_page(browser, approvals_site, "derby.deputy_head")
    await page.click(f"text=Schedule {schedule['number']}")
    assert await page.inner_text("#aggregate") == "£900.00"
    assert await page.inner_text("#required-band") == "Head of Business Support and Debt Management"
    assert await page.inner_text("#schedule-hash") == schedule["schedule_hash"]
    line = await page.inner_text(f"#line-{kept}")
    assert f"Ms Alice {debtor.identity.surname}" in line
    assert "The customer has absconded or gone away and cannot be traced" in line
    assert "trace report TR-1" in line
    # a_debt fell due on 2025-06-01: owed for the years and months since, by the business clock
    owed_for = debt_age(date(2025, 6, 1), writeoff_service.http_app.state.service.clock.today())
    assert "month" in owed_for or "year" in owed_for
    assert await page.inner_text(f"[data-age='{kept}']") == owed_for
    assert (await page.inner_text(f"[data-account='{kept}']")).startswith("INV-")
    link = await page.get_attribute(f"[data-debtor='{kept}']", "href")
    assert link == f"{writeoff_service_workbench(writeoff_service)}/customers/{requests[0].customer_id}"
    assert "App.1 §6" in await page.inner_text("#statement-of-no-interest")

    await page.check(f"[data-line='{doubtful}']")
    await page.fill(f"[data-reason='{doubtful}']", "customer traced to a new address last week")
    await page.check("#no-interest")
    await page.click("#sign")

    assert await page.inner_text("#outcome") == "Schedule decided"
    assert await page.inner_text("#approved-count") == "1"
    assert await page.inner_text("#rejected-count") == "1"
    (approved,) = await bus.hears("writeoff.write_off.approved", schedule_id=schedule["schedule_id"])
    assert str(approved.request_id) == kept
    assert approved.approved_by == "Acting Head of Business Support and Debt Management (derby.deputy_head)"
    (rejected,) = await bus.hears("writeoff.write_off.rejected", request_id=doubtful)
    assert rejected.reason == "customer traced to a new address last week"


def writeoff_service_workbench(runtime) -> str:
    return runtime.http_app.state.service.settings.workbench_url.rstrip("/")


async def test_a_signature_without_the_statement_of_no_interest_is_refused_in_the_browser(
    writeoff_service, client, approvals_site, browser
):
    from tests.integration.writeoff.desk import nothing_published_for

    requests = await pending_requests_from_recovery(1, 120_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    page = await signed_in_page(browser, approvals_site, "derby.deputy_head")
    await page.goto(f"{approvals_site}/approvals/{schedule['schedule_id']}")
    await page.click("#sign")
    assert await page.inner_text("#outcome") == "Not signed: nothing was approved"
    assert "statement that you have no interest" in await page.inner_text("#reasons")
    assert await nothing_published_for(schedule)


async def test_a_forged_session_cookie_gets_the_sign_in_page_not_the_queue(
    writeoff_service, approvals_site, browser
):
    context = await browser.new_context()
    await context.add_cookies(
        [
            {
                "name": "council_debt_session",
                "value": "eyJhY2Nlc3NfdG9rZW4iOiJmb3JnZWQifQ.forged.sig",
                "url": approvals_site,
            }
        ]
    )
    page = await context.new_page()
    await page.goto(f"{approvals_site}/approvals")
    assert not page.url.startswith(approvals_site)
    assert await page.is_visible("input[name=login]")


async def test_a_wrong_password_is_told_so_by_the_provider(writeoff_service, approvals_site, browser):
    page = await at_the_providers_sign_in_page(browser, approvals_site)
    await page.fill("input[name=login]", "derby.head")
    await page.fill("input[name=password]", "not the password")
    await page.click("button[type=submit]")
    assert await page.inner_text("#problem") == "The username or password is not right"
    assert not page.url.startswith(approvals_site)


async def test_a_person_without_a_write_off_role_is_refused_the_queue(
    writeoff_service, approvals_site, browser
):
    page = await at_the_providers_sign_in_page(browser, approvals_site)
    await page.fill("input[name=login]", "no.roles")
    await page.fill("input[name=password]", DEMO_PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{approvals_site}/approvals")
    assert await page.inner_text("#outcome") == "You do not have access"
    assert "holds none of the roles" in await page.inner_text("#reasons")


async def test_an_approver_declares_an_interest_by_finding_the_person_and_cannot_then_sign(
    writeoff_service, client, approvals_site, browser
):
    customer_id = uuid4()
    debt = await debt_known(a_debt(customer_ids=[customer_id], amount_pence=300_00))
    request = recovery_asks(debt)
    from tests.council_bus import publish

    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    debtor = await debtor_known(customer_id, postcode="DE22 1QT", references={"customer_number": "C-77"})

    page = await signed_in_page(browser, approvals_site, "derby.director")
    await page.click("text=Declarations of interest")
    await page.fill("#search", f"{debtor.identity.surname} de22 1qt")
    await page.click("#find")
    found = page.locator(f"[data-customer='{customer_id}']")
    assert "4 Friar Gate" in await found.inner_text()
    await page.select_option(f"[data-kind='{customer_id}']", "friend_or_neighbour")
    await page.fill(f"[data-note='{customer_id}']", "my neighbour")
    await page.click(f"[data-declare='{customer_id}']")
    await page.wait_for_url(f"{approvals_site}/declarations")
    declared = await page.inner_text("#declarations")
    assert f"Ms Alice {debtor.identity.surname}" in declared and "my neighbour" in declared

    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)
    refused = await (await Officer.sign_in(client, "derby.director")).sign(schedule)
    assert refused.status_code == 403
    assert "declared an interest (friend_or_neighbour)" in refused.json()["detail"]


async def test_a_write_off_officer_puts_pending_requests_on_a_schedule_in_the_browser(
    writeoff_service, approvals_site, browser
):
    from tests.council_bus import fetch_value

    (request,) = await pending_requests_from_recovery(1, 75_00)
    page = await signed_in_page(browser, approvals_site, "derby.officer")
    await page.click("#build-schedules")
    await page.wait_for_url(f"{approvals_site}/approvals")
    number = await fetch_value(
        "SELECT s.number FROM writeoff.write_off_schedule s JOIN writeoff.write_off_request r "
        "USING (schedule_id) WHERE r.request_id = $1",
        request.request_id,
    )
    assert f"Schedule {number}" in await page.inner_text("#every-schedule")


async def test_the_referral_officer_decides_a_payment_for_consideration_in_the_browser(
    writeoff_service, client, bus, approvals_site, browser
):
    from tests.integration.writeoff.desk import a_payment_for_consideration

    payment = await a_payment_for_consideration(client, bus, "statute_barred")
    page = await signed_in_page(browser, approvals_site, "derby.head")
    await page.click("text=Payments for consideration")
    assert "£300.00" in await page.inner_text(f"#payment-{payment.payment_id}")
    await page.check(f"[data-outcome='{payment.payment_id}-refunded']")
    await page.fill(f"[data-reason='{payment.payment_id}']", "paid by the trustee in error")
    await page.click(f"[data-decide='{payment.payment_id}']")
    await page.wait_for_url(f"{approvals_site}/payments-for-consideration")
    (decided,) = await bus.hears("writeoff.payment_for_consideration.decided", payment_id=payment.payment_id)
    assert (decided.outcome, decided.reason) == ("refunded", "paid by the trustee in error")
    assert decided.decided_by == "Head of Business Support and Debt Management (derby.head)"
    assert await page.locator(f"#payment-{payment.payment_id}").count() == 0


AXE = (
    Path(__file__).resolve().parents[3]
    / "services"
    / "workbench"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


async def accessibility_problems(page: Page) -> list[dict[str, object]]:
    """What axe-core finds against WCAG 2.0, 2.1 and 2.2 A and AA on the page as it stands, and whether the page
    scrolls sideways at the window's width."""
    await page.add_script_tag(path=str(AXE))
    found = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    assert found["passes"], "axe-core checked nothing"
    problems: list[dict[str, object]] = [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in found["violations"]
    ]
    width = await page.evaluate("document.documentElement.scrollWidth")
    if page.viewport_size and width > page.viewport_size["width"]:
        problems.append({"id": "sideways-scroll", "width": width})
    return problems


async def test_every_approvals_page_meets_wcag_22_aa_at_a_phones_width(
    writeoff_service, client, bus, approvals_site, browser
):
    from tests.integration.writeoff.desk import a_payment_for_consideration

    requests = await pending_requests_from_recovery(1, 450_00)
    debtor = await debtor_known(requests[0].customer_id)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    await a_payment_for_consideration(client, bus, "statute_barred")

    page = await signed_in_page(browser, approvals_site, "derby.head")
    await page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/approvals",
        f"/approvals/{schedule['schedule_id']}",
        f"/declarations?q={debtor.identity.surname}",
        "/payments-for-consideration",
    ):
        await page.goto(f"{approvals_site}{path}")
        assert await accessibility_problems(page) == [], path


async def test_an_interest_in_one_debt_only_is_declared_by_finding_its_reference(
    writeoff_service, client, approvals_site, browser
):
    from tests.council_bus import publish

    customer_id = uuid4()
    await debtor_known(customer_id)
    debt = await debt_known(a_debt(customer_ids=[customer_id], amount_pence=200_00))
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"

    page = await signed_in_page(browser, approvals_site, "derby.head")
    await page.goto(f"{approvals_site}/declarations")
    await page.fill("#search", debt.external_reference)
    await page.click("#find")
    await page.select_option(f"#kind-{debt.debt_id}", "business_relationship")
    await page.click(f"[data-declare-debt='{debt.debt_id}']")
    await page.wait_for_url(f"{approvals_site}/declarations")
    assert debt.external_reference in await page.inner_text("#declarations")

    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)
    refused = await (await Officer.sign_in(client, "derby.head")).sign(schedule)
    assert refused.status_code == 403
    assert "declared an interest (business_relationship)" in refused.json()["detail"]
