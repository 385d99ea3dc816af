"""Issue 20 at the workbench, in a real headless Chromium against the running services: a senior officer opens
management information, reads the KPIs for the year, aged debt by directorate and service and the bad debt
provision with the council's percentages; lists this month's budget-holder review, finds an invoice 130 days past
due on it with its 10-working-day deadline, and records the decision on a GOV.UK form (its error named first),
which billing records under their name; the review's CSV download is billing's own export, byte for byte; an
auditor reads it on a phone without any action. Every page passes axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from services.workbench.rendering import day
from shared.working_days import add_working_days
from tests.e2e.residents import a_charge, raised
from tests.identity import officer_headers
from tests.integration.workbench.officer_at_the_browser import (
    PHONE,
    a_resident_of_their_own_postcode,
    checked,
    signed_in,
)

pytestmark = pytest.mark.browser


async def test_a_senior_officer_reads_the_reports_and_records_a_budget_holder_s_decision_billing_keeps(
    council, workbench, browser
):
    today = date.today()
    await council.business_date_is(today)
    due = today - timedelta(days=130)
    invoice = await raised(
        a_charge(
            a_resident_of_their_own_postcode(),
            "sundry",
            240_00,
            raised_on=due - timedelta(days=30),
            due_date=due,
        ),
        with_case=False,
    )
    debt_id = str(invoice["debt_id"])

    page = await signed_in(browser, workbench, "senior.officer")
    await page.click("text=Management information")
    assert "Budget-holder review" in await page.inner_text("#reports")
    await checked(page, "management-information")

    await page.click("#reports >> text=Key performance indicators")
    kpis = await page.inner_text("#kpis")
    assert "2026/27" in kpis and "Council tax in-year collection" in kpis
    await checked(page, "management-information-kpis")

    await page.goto(f"{workbench}/management-information/aged-debt")
    assert "Sundry invoice" in await page.inner_text("#by-service")
    assert "unassigned" in await page.inner_text("#by-directorate")  # no directorate owns ENV-4410
    await checked(page, "management-information-aged-debt")

    await page.goto(f"{workbench}/management-information/bad-debt-provision")
    assert "31 to 60 days\t5%" in await page.inner_text("#percentages")
    assert "Sundry invoice" in await page.inner_text("#provision")
    await checked(page, "management-information-bad-debt-provision")

    await page.goto(f"{workbench}/management-information/budget-holder-reviews")
    await page.click("#list-for-review")
    assert "is listed" in await page.inner_text("#done")
    row = page.locator(f"#review-{debt_id}")
    for _ in range(50):  # the review lists every debt of the council past 90 days: find this one's page
        if await row.count():
            break
        await page.click(".govuk-pagination__next a")
    text = await row.inner_text()
    assert invoice["external_reference"] in text and "£240.00" in text and "Awaiting decision" in text
    assert day(add_working_days(today, 10)) in text  # the decision is due in 10 working days
    await checked(page, "management-information-budget-holder-review")

    await row.locator("a", has_text="Record the decision").click()
    await page.click("#record-decision")  # nothing chosen: the decision is asked for
    assert "Select what happens to this debt" in await page.inner_text(".govuk-error-summary")
    await checked(page, "budget-holder-decision-with-errors")
    await page.check("input[name=decision][value=legal_action]")
    await page.fill("#note", "Assets traced: a county court claim is worth making")
    await page.click("#record-decision")
    assert "Decision recorded: Take legal action" in await page.inner_text("#done")

    month = today.isoformat()[:7]
    async with httpx.AsyncClient(base_url=council["billing"].url, headers=officer_headers("auditor")) as api:
        listed = (
            await api.get("/management-information/budget-holder-reviews", params={"month": month})
        ).json()
        exported = await api.get(
            "/management-information/budget-holder-reviews", params={"month": month, "format": "csv"}
        )
    (entry,) = [r for r in listed["reviews"] if r["debt_id"] == debt_id]
    assert entry["decision"] == "legal_action" and entry["status"] == "decided"
    assert entry["decided_by"] == "Tom Hughes (senior.officer)"
    assert entry["decision_note"] == "Assets traced: a county court claim is worth making"

    download = await page.request.get(
        f"{workbench}/management-information/budget-holder-reviews.csv?month={month}"
    )
    assert download.status == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"] == exported.headers["content-disposition"]
    assert await download.body() == exported.content  # billing's export, passed through
    assert debt_id in (await download.text())

    # The auditor reads the same review, decided, on a phone: no decision to record, nothing to list.
    phone = await signed_in(browser, workbench, "auditor", viewport=PHONE)
    await phone.goto(f"{workbench}/management-information/budget-holder-reviews?status=decided")
    main = await phone.inner_text("main")
    assert "Record the decision" not in main and "List this month" not in main
    await checked(phone, "management-information-budget-holder-review-phone")
