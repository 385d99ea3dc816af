"""The approvals page, driven in a real headless chromium (Debian's, through Playwright) against the service's
HTTP app served by a real uvicorn on a loopback port: sign in, see the queue, read each line's reason and
evidence, reject a line with a reason, sign under the statement of no interest; a signature without the
statement or with a forged session is refused with the reason."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright

from tests.integration.writeoff.desk import Officer, demo_password, pending_requests_from_recovery

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


async def signed_in_page(browser: Browser, site: str, person_id: str) -> Page:
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{site}/approvals")
    assert page.url.endswith("/sign-in")  # sent to sign in first
    await page.fill("#person_id", person_id)
    await page.fill("#password", demo_password(person_id))
    await page.click("#sign-in")
    await page.wait_for_url(f"{site}/approvals")
    assert person_id in await page.inner_text("#signed-in-as")
    return page


async def test_an_approver_signs_a_schedule_in_the_browser_rejecting_one_line(
    writeoff_service, client, bus, approvals_site, browser
):
    requests = await pending_requests_from_recovery(2, 450_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(
        *(r.request_id for r in requests)
    )
    kept, doubtful = (str(r.request_id) for r in requests)

    page = await signed_in_page(browser, approvals_site, "derby.deputy_head")
    await page.click(f"text=Schedule {schedule['number']}")
    assert await page.inner_text("#aggregate") == "£900.00"
    assert await page.inner_text("#required-band") == "Head of Business Support and Debt Management"
    assert await page.inner_text("#schedule-hash") == schedule["schedule_hash"]
    line = await page.inner_text(f"#line-{kept}")
    assert "The customer has absconded or gone away and cannot be traced" in line
    assert "trace report TR-1" in line
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
    assert approved.approved_by == "derby.deputy_head"
    (rejected,) = await bus.hears("writeoff.write_off.rejected", request_id=doubtful)
    assert rejected.reason == "customer traced to a new address last week"


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


async def test_a_forged_session_cookie_is_refused(writeoff_service, approvals_site, browser):
    from services.writeoff.sessions import SessionSigner

    context = await browser.new_context()
    forged = SessionSigner(b"someone else's key, not ours!!", 3600).issue("derby.director")
    await context.add_cookies([{"name": "writeoff_session", "value": forged, "url": approvals_site}])
    page = await context.new_page()
    response = await page.goto(f"{approvals_site}/approvals")
    assert response is not None and response.status == 401
    assert "signature does not verify" in await page.inner_text("#reasons")


async def test_a_wrong_password_is_told_so(writeoff_service, approvals_site, browser):
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{approvals_site}/sign-in")
    await page.fill("#person_id", "derby.head")
    await page.fill("#password", "not the password")
    await page.click("#sign-in")
    assert await page.inner_text("#problem") == "Person id or password not recognised."


async def test_an_approver_declares_an_interest_in_the_browser(writeoff_service, approvals_site, browser):
    page = await signed_in_page(browser, approvals_site, "derby.director")
    await page.click("text=Declarations of interest")
    await page.select_option("#kind", "business_relationship")
    await page.fill("#customer-id", "customer-of-the-browser-test")
    await page.fill("#note", "supplier to my company")
    await page.click("#declare")
    assert "customer-of-the-browser-test" in await page.inner_text("#declarations")


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
