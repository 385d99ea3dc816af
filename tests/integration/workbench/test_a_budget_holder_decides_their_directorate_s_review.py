"""Sundry 10.1, NELC 5.20-5.21, RBWM report 5 at the workbench, in a real headless Chromium against the running
services: the operations team lists the month's budget-holder review (they run it, and see only how many were
listed, never a debt); the Operations directorate's budget holder, who holds no officer's role, signs in, is
shown the review alone, finds their housing benefit overpayment 130 days past due and records the decision,
which billing records under their name from the token; a Place invoice on the same review is not theirs: billing
shows it to neither their page, their decision form nor its API, and refuses their decision on it. Every page
passes axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.e2e.residents import a_charge, raised
from tests.identity import BUDGET_HOLDER, officer_headers
from tests.integration.workbench.officer_at_the_browser import (
    a_resident_of_their_own_postcode,
    checked,
    signed_in,
)

pytestmark = pytest.mark.browser

REVIEWS = "/management-information/budget-holder-reviews"


async def test_a_budget_holder_decides_their_own_directorate_s_debt_and_never_sees_another_directorate_s(
    council, workbench, browser
):
    today = date.today()
    await council.business_date_is(today)
    due = today - timedelta(days=130)
    theirs = await raised(
        a_charge(
            a_resident_of_their_own_postcode(),
            "housing_benefit_overpayment",
            310_00,
            raised_on=due - timedelta(days=30),
            due_date=due,
        ),
        with_case=False,
    )
    place = await raised(
        a_charge(
            a_resident_of_their_own_postcode(),
            "sundry",
            180_00,
            raised_on=due - timedelta(days=30),
            due_date=due,
        ).model_copy(update={"income_code": "ENV-PLACE"}),  # the Place directorate's cost centre
        with_case=False,
    )
    theirs_id, place_id = str(theirs["debt_id"]), str(place["debt_id"])
    month = today.isoformat()[:7]

    # Operations list the month from the workbench, and read nothing of it.
    operator = await signed_in(browser, workbench, "operations")
    await operator.click("text=Budget-holder review")
    assert await operator.locator("#reviews").count() == 0
    await operator.click("#list-for-review")
    assert "is listed" in await operator.inner_text("#done")
    assert (
        await operator.locator("#reviews").count() == 0
        and await operator.locator(f"#review-{theirs_id}").count() == 0
    )
    await checked(operator, "budget-holder-review-listed-by-operations")

    # The budget holder: the workbench's other pages are not theirs; the review is.
    page = await signed_in(browser, workbench, BUDGET_HOLDER)
    assert await page.inner_text("h1") == "You do not have access"  # they asked for the search
    assert "budget-holder review" in await page.inner_text("#refused-reason")
    await page.click("#to-review")
    assert "Find a customer" not in await page.inner_text(".govuk-service-navigation")
    row = page.locator(f"#review-{theirs_id}")
    for _ in range(50):
        if await row.count():
            break
        assert await page.locator(f"#review-{place_id}").count() == 0
        await page.click(".govuk-pagination__next a")
    text = await row.inner_text()
    assert theirs["external_reference"] in text and "£310.00" in text and "Operations" in text
    assert await row.locator('a[href^="/customers/"]').count() == 0  # named, not opened: no single view
    assert await page.locator(f"#review-{place_id}").count() == 0
    await checked(page, "budget-holder-review-of-their-directorate")

    await row.locator("a", has_text="Record the decision").click()
    await page.check("input[name=decision][value=arrangement]")
    await page.fill("#note", "The claimant offered £20 a month")
    await page.click("#record-decision")
    assert "Decision recorded: Make an arrangement" in await page.inner_text("#done")
    await checked(page, "budget-holder-review-after-their-decision")

    not_theirs = await page.goto(f"{workbench}{REVIEWS}/{month}/{place_id}/decision")
    assert not_theirs is not None and not_theirs.status == 404
    assert place["external_reference"] not in await page.inner_text("main")
    csv = await page.request.get(f"{workbench}{REVIEWS}.csv?month={month}")
    assert csv.status == 200 and theirs_id in await csv.text() and place_id not in await csv.text()

    async with httpx.AsyncClient(base_url=council["billing"].url) as api:
        own = (
            await api.get(
                REVIEWS,
                params={"month": month, "debt_id": place_id},
                headers=officer_headers(BUDGET_HOLDER),
            )
        ).json()
        refused = await api.post(
            f"/management-information/budget-holder-reviews/{month}/{place_id}/decision",
            json={"decision": "cancel"},
            headers=officer_headers(BUDGET_HOLDER),
        )
        everyone = (
            await api.get(
                "/management-information/budget-holder-reviews",
                params={"month": month, "debt_id": theirs_id},
                headers=officer_headers("auditor"),
            )
        ).json()
        place_seen = (
            await api.get(
                "/management-information/budget-holder-reviews",
                params={"month": month, "debt_id": place_id},
                headers=officer_headers("auditor"),
            )
        ).json()
    assert own["reviews"] == [] and own["total"] == 0
    assert refused.status_code == 403
    (decided,) = everyone["reviews"]
    assert (
        decided["decision"] == "arrangement"
        and decided["decided_by"] == "Morgan Reid (operations.budget.holder)"
    )
    assert decided["directorate"] == "Operations"
    (listed_elsewhere,) = place_seen["reviews"]
    assert listed_elsewhere["directorate"] == "Place" and listed_elsewhere["decision"] is None
