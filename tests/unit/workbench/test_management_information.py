"""Management information at the workbench (issue 20), as billing reports it: the KPIs by month and year, aged
debt by directorate and by service, the bad debt provision with the council's percentages, and the monthly
budget-holder review with each debt's deadline (overdue ones marked) and decision, which a senior officer records
(billing names them from the token); every report downloads as billing's own CSV, passed through unchanged."""

from __future__ import annotations

from typing import Any

from services.workbench.domain.forms import FormErrors
from services.workbench.domain.management_information import (
    BandRow,
    financial_year_from,
    month_from,
    page_asked,
    pages_of,
    summed_by,
)
from tests.unit.workbench.fake_services import (
    DEBT_DECIDED,
    DEBT_DECIDED_LATE,
    DEBT_LISTED_LATER,
    FakeServices,
)
from tests.unit.workbench.samples import CUSTOMER_ID, DEBT_SUNDRY
from tests.unit.workbench.test_pages import services, site

__all__ = ["services"]

REVIEWS = "/management-information/budget-holder-reviews"


def asked_of(services: FakeServices, name: str) -> list[Any]:
    return [asked for called, asked in services.asked if called == name]


async def page_as(services: FakeServices, role: str, path: str, **params: str) -> tuple[int, str]:
    async for client in site(services, role):
        answer = await client.get(path, params=params)
    return answer.status_code, answer.text


# -- the KPIs ---------------------------------------------------------------------------------------------------
async def test_the_kpis_show_each_month_and_the_year_with_the_collection_rates_and_the_debts_reported(
    services: FakeServices,
):
    status, page = await page_as(services, "revenues_officer", "/management-information/kpis")
    assert status == 200
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">Key performance indicators, financial year 2026/27'
        in page
    )
    assert '<th scope="row" class="govuk-table__header">2026-04</th>' in page
    assert '<th scope="row" class="govuk-table__header">2026/27</th>' in page
    assert "97.12%" in page and "£9,712.00 of £10,000.00" in page
    assert "(nothing collectable)" in page  # no business rates debit: no rate made up
    assert "£1,234.56" in page and "£789.00" in page
    assert 'href="/management-information/kpis.csv?financial_year=2026%2F27"' not in page  # none asked
    assert 'href="/management-information/kpis.csv"' in page
    assert asked_of(services, "kpis") == [{"financial_year": None, "month": None}]


async def test_one_month_s_kpis_are_asked_of_billing_and_downloaded_for_that_month(services: FakeServices):
    status, page = await page_as(services, "auditor", "/management-information/kpis", month="2026-05")
    assert status == 200 and "Key performance indicators, May 2026" in page
    assert 'href="/management-information/kpis.csv?month=2026-05"' in page
    assert asked_of(services, "kpis") == [{"financial_year": None, "month": "2026-05"}]


async def test_a_financial_year_written_wrongly_is_named_at_its_field_and_billing_is_not_asked(
    services: FakeServices,
):
    status, page = await page_as(
        services, "revenues_officer", "/management-information/kpis", **{"financial-year": "2026/28"}
    )
    assert status == 422
    assert 'href="#financial-year"' in page and "Enter the financial year like 2026/27" in page
    assert 'value="2026/28"' in page
    assert not asked_of(services, "kpis")


async def test_billing_s_refusal_of_a_period_is_shown_with_its_reason(services: FakeServices):
    status, page = await page_as(
        services, "revenues_officer", "/management-information/kpis", **{"financial-year": "2030/31"}
    )
    assert status == 422 and "financial_year must look like 2026/27" in page


# -- aged debt and the provision --------------------------------------------------------------------------------
async def test_aged_debt_is_shown_by_directorate_by_service_and_by_both_with_totals(services: FakeServices):
    status, page = await page_as(services, "senior_officer", "/management-information/aged-debt")
    assert status == 200
    for caption in ("By directorate", "By service", "By directorate and service"):
        assert f'govuk-table__caption--m">{caption}</caption>' in page
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Over 120 days</th>' in page
    )
    assert '<th scope="row" class="govuk-table__header">Operations</th>' in page
    assert "£720.00" in page  # Operations: council tax £600.00 and parking £120.00
    assert '<th scope="row" class="govuk-table__header">Penalty charge notice (parking)</th>' in page
    assert "£865.50" in page  # billing's totals
    assert 'href="/management-information/aged-debt.csv?as_of=2026-12-03"' in page
    assert asked_of(services, "aged_debt") == [None]


async def test_aged_debt_as_of_a_day_is_asked_for_that_day(services: FakeServices):
    day = {"as-of-day": "31", "as-of-month": "3", "as-of-year": "2027"}
    status, page = await page_as(services, "auditor", "/management-information/aged-debt", **day)
    assert status == 200 and "31 March 2027" in page
    assert asked_of(services, "aged_debt") == ["2027-03-31"]
    status, page = await page_as(
        services, "auditor", "/management-information/aged-debt", **(day | {"as-of-day": "32"})
    )
    assert status == 422 and "The date to report on must be a real date" in page


async def test_the_provision_shows_the_council_s_percentages_and_each_band_provided_for(
    services: FakeServices,
):
    status, page = await page_as(services, "auditor", "/management-information/bad-debt-provision")
    assert status == 200
    assert "The council’s percentages by age band" in page
    assert (
        '<th scope="row" class="govuk-table__header">31 to 60 days</th><td class="govuk-table__cell govuk-table__cell--numeric">5%</td>'
        in page
    )
    assert '£10.00<br><span class="govuk-body-s">of £200.00' in page
    assert "£32.76" in page and "£245.51" in page
    assert 'href="/management-information/bad-debt-provision.csv?as_of=2026-12-03"' in page


# -- the budget-holder review -----------------------------------------------------------------------------------
async def test_the_review_marks_the_overdue_decision_with_its_deadline_and_links_to_the_overdue_ones(
    services: FakeServices,
):
    status, page = await page_as(services, "senior_officer", REVIEWS)
    assert status == 200
    assert "1 decision is overdue" in page
    assert f'<a class="govuk-link" href="{REVIEWS}?month=2026-12&amp;status=overdue">show it</a>' in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">Decided late</strong>' in page
    assert f'<a class="govuk-link" href="/customers/{CUSTOMER_ID}">SUN-1</a>' in page
    assert f"Debt {DEBT_LISTED_LATER}" in page  # billing did not name it: its id, nothing made up
    assert not asked_of(services, "debt")  # the review names and links each debt itself: no call per row
    assert "15 December 2026" in page and "24 December 2026" in page  # the deadlines
    assert (
        "Ask for a write-off" in page
        and "by Sam Jones (senior.officer) on 8 December 2026: trace failed" in page
    )
    assert f'{REVIEWS}/2026-12/{DEBT_SUNDRY}/decision">Record the decision' in page
    assert f'{REVIEWS}/2026-12/{DEBT_DECIDED}/decision">View' in page
    assert 'href="/management-information/budget-holder-reviews.csv?month=2026-12"' in page
    assert 'id="list-for-review"' in page


async def test_a_revenues_officer_reads_the_review_but_records_no_decision(services: FakeServices):
    status, page = await page_as(services, "revenues_officer", REVIEWS)
    assert status == 200 and "Record the decision" not in page and 'id="list-for-review"' not in page
    async for client in site(services, "revenues_officer"):
        posted = await client.post(
            f"{REVIEWS}/2026-12/{DEBT_SUNDRY}/decision", data={"decision": "legal_action"}
        )
    assert posted.status_code == 403
    assert not asked_of(services, "record_decision")


async def test_the_review_filtered_by_status_shows_only_that_status(services: FakeServices):
    status, page = await page_as(services, "auditor", REVIEWS, status="decided_late", month="2026-12")
    assert status == 200
    assert f'id="review-{DEBT_DECIDED_LATE}"' in page and f'id="review-{DEBT_SUNDRY}"' not in page
    assert "Debts on the review (decided late): 1" in page
    assert asked_of(services, "budget_holder_reviews") == [
        {"month": "2026-12", "status": "decided_late", "offset": 0}
    ]


async def test_a_long_review_is_read_from_billing_fifty_at_a_time_and_a_page_past_the_end_is_the_last(
    services: FakeServices,
):
    from tests.unit.workbench.fake_services import review_entry

    services.management_information.more_reviews = [
        review_entry(f"0190a000-0000-7000-8000-{n:012d}", "awaiting_decision") for n in range(120)
    ]
    status, page = await page_as(services, "auditor", REVIEWS, page="9")
    assert status == 200 and "Debts on the review: 124" in page
    assert page.count('<tr class="govuk-table__row" id="review-') == 24  # the third and last page
    assert [a["offset"] for a in asked_of(services, "budget_holder_reviews")] == [400, 100]
    assert 'aria-current="page"' in page and f'href="{REVIEWS}?month=2026-12&amp;page=2"' in page


async def test_a_senior_officer_records_the_decision_and_billing_takes_who_from_the_token(
    services: FakeServices,
):
    form = f"{REVIEWS}/2026-12/{DEBT_SUNDRY}/decision"
    async for client in site(services, "senior_officer"):
        page = (await client.get(form)).text
        answer = await client.post(form, data={"decision": "legal_action", "note": "  assets found  "})
    assert 'name="decision"' in page and 'value="continue_recovery"' in page and "15 December 2026" in page
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"{REVIEWS}?month=2026-12&done=Decision+recorded")
    assert asked_of(services, "record_decision") == [("2026-12", DEBT_SUNDRY, "legal_action", "assets found")]
    assert asked_of(services, "budget_holder_reviews")[0]["debt_id"] == DEBT_SUNDRY  # its entry alone


async def test_a_decision_not_chosen_is_named_and_billing_s_refusal_is_shown(services: FakeServices):
    form = f"{REVIEWS}/2026-12/{DEBT_LISTED_LATER}/decision"
    async for client in site(services, "senior_officer"):
        missing = await client.post(form, data={"note": "kept"})
        refused = await client.post(form, data={"decision": "cancel"})
    assert missing.status_code == 422
    assert 'href="#decision"' in missing.text and "Select what happens to this debt" in missing.text
    assert ">kept</textarea>" in missing.text
    assert refused.status_code == 422 and "is already recorded" in refused.text
    assert [a[2] for a in asked_of(services, "record_decision")] == ["cancel"]


async def test_a_review_month_not_written_as_billing_names_it_is_no_page(services: FakeServices):
    async for client in site(services, "senior_officer"):
        assert (await client.get(f"{REVIEWS}/..%2F..%2Fdebts/{DEBT_SUNDRY}/decision")).status_code == 404
        posted = await client.post(f"{REVIEWS}/2026-5/{DEBT_SUNDRY}/decision", data={"decision": "cancel"})
    assert posted.status_code == 404 and not asked_of(services, "record_decision")


async def test_a_decided_debt_shows_its_decision_and_no_form(services: FakeServices):
    status, page = await page_as(services, "senior_officer", f"{REVIEWS}/2026-12/{DEBT_DECIDED}/decision")
    assert status == 200 and "Ask for a write-off, by Sam Jones (senior.officer)" in page
    assert 'name="decision"' not in page


async def test_a_senior_officer_lists_this_month_s_review(services: FakeServices):
    async for client in site(services, "senior_officer"):
        answer = await client.post(REVIEWS)
    assert answer.status_code == 303 and "1+debt%28s%29+newly+listed" in answer.headers["location"]
    assert asked_of(services, "list_for_review") == [None]


# -- CSV and who reads ------------------------------------------------------------------------------------------
async def test_the_csv_download_is_billing_s_export_passed_through_for_the_period_asked(
    services: FakeServices,
):
    async for client in site(services, "auditor"):
        answer = await client.get(
            "/management-information/bad-debt-provision.csv", params={"as_of": "2026-12-03", "month": "x"}
        )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="bad-debt-provision-2026-12-03.csv"'
    assert answer.text.startswith("debt_type,age_band,unpaid_pence")
    assert asked_of(services, "csv") == [("bad-debt-provision", {"as_of": "2026-12-03"})]


async def test_only_billing_s_readers_see_management_information(services: FakeServices):
    _, trays = await page_as(services, "revenues_officer", "/trays")
    assert 'href="/management-information"' in trays
    for role in ("breathing_space_officer", "agents_officer", "operations"):
        _, elsewhere = await page_as(services, role, "/search")
        assert 'href="/management-information"' not in elsewhere, role
        for path in (
            "/management-information",
            "/management-information/kpis",
            "/management-information/kpis.csv",
            f"{REVIEWS}.csv",
            f"{REVIEWS}/2026-12/{DEBT_SUNDRY}/decision",
        ):
            assert (await page_as(services, role, path))[0] == 403, (role, path)
    for role in ("breathing_space_officer", "agents_officer"):
        assert (await page_as(services, role, REVIEWS))[0] == 403, role
    assert not asked_of(services, "kpis") and not asked_of(services, "csv")
    assert not asked_of(services, "budget_holder_reviews")


async def test_operations_list_the_month_s_review_as_billing_lets_them_but_never_read_its_debts(
    services: FakeServices,
):
    """Billing lets operations list the month (POST, like the daily runs they run) but not read management
    information: the review's page shows them the listing button and what billing listed, never a debt."""
    _, search = await page_as(services, "operations", "/search")
    assert f'href="{REVIEWS}"' in search  # a "Budget-holder review" item in the navigation
    status, page = await page_as(services, "operations", REVIEWS)
    assert status == 200 and 'id="list-for-review"' in page and 'id="lists-only"' in page
    assert 'id="reviews"' not in page and "Download" not in page
    async for client in site(services, "operations"):
        listed = await client.post(REVIEWS)
        after = await client.get(listed.headers["location"])
    assert listed.status_code == 303 and "1 debt(s) newly listed" in after.text
    assert not asked_of(services, "budget_holder_reviews")  # the debts are never asked for
    assert asked_of(services, "list_for_review") == [None]


async def test_a_budget_holder_sees_the_review_alone_and_records_the_decision_as_billing_scopes_it(
    services: FakeServices,
):
    """Sundry 10.1: each budget holder reviews the debts they own. A budget holder (no officer's role) opens
    the review, its decision form and its CSV, and nothing else of the workbench; billing scopes the rows."""
    import httpx

    from services.workbench.bootstrap import bootstrap
    from services.workbench.officer import officer_services, signed_in_person
    from tests.unit.workbench.test_pages import officer

    app = bootstrap().http_app  # the workbench's own check of a budget holder's pages, only the token faked
    app.dependency_overrides[signed_in_person] = lambda: officer("budget_holder_operations")
    app.dependency_overrides[officer_services] = lambda: services
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://workbench.test") as client:
        home = await client.get("/")
        review = (await client.get(REVIEWS)).text
        form = f"{REVIEWS}/2026-12/{DEBT_SUNDRY}/decision"
        asked_form = (await client.get(form)).text
        decided = await client.post(form, data={"decision": "arrangement"})
        csv = await client.get(f"{REVIEWS}.csv", params={"month": "2026-12"})
        refused = {
            path: (await client.get(path, headers={"accept": "text/html"}))
            for path in ("/search", "/trays", f"/customers/{CUSTOMER_ID}", "/management-information/kpis")
        }
    assert home.status_code == 303 and home.headers["location"] == REVIEWS
    assert f'{REVIEWS}/2026-12/{DEBT_SUNDRY}/decision">Record the decision' in review
    assert 'href="/search"' not in review and 'href="/trays"' not in review
    assert 'href="/management-information"' not in review  # no reports' page to go back to
    assert f'href="/customers/{CUSTOMER_ID}"' not in review and "SUN-1" in review  # named, not opened
    assert 'id="list-for-review"' not in review
    assert 'name="decision"' in asked_form
    assert decided.status_code == 303
    assert asked_of(services, "record_decision") == [("2026-12", DEBT_SUNDRY, "arrangement", None)]
    assert csv.status_code == 200
    for path, answer in refused.items():
        assert answer.status_code == 403, path
        assert "budget-holder review" in answer.text, path
    assert not asked_of(services, "search") and not asked_of(services, "debt")


def test_a_budget_holder_role_lets_a_person_in_and_decide_anything_else_does_not():
    from services.workbench.domain.permissions import (
        Action,
        actions_allowed,
        is_budget_holder_only,
        may_read_management_information,
        may_use_workbench,
    )

    assert may_use_workbench({"budget_holder_operations"}) and is_budget_holder_only({"budget_holder_place"})
    assert not may_read_management_information({"budget_holder_operations"})
    assert actions_allowed({"budget_holder_operations"}) == {Action.DECIDE_BUDGET_HOLDER_REVIEW}
    assert not is_budget_holder_only({"budget_holder_operations", "senior_officer"})
    for not_one in ("budget_holder", "budget_holder_", "director_of_finance"):  # write-off's "budget_holder"
        assert not may_use_workbench({not_one}), not_one


def test_the_roles_follow_billing_s_management_information_routes():
    from services.billing.management_information.http import management_information_router
    from services.workbench.domain.permissions import (
        BUDGET_HOLDER,
        MANAGEMENT_INFORMATION_READERS,
        ROLES_FOR,
        WORKBENCH_ROLES,
        Action,
        actions_allowed,
    )

    def roles_of(method: str, path: str) -> frozenset[str]:
        router = management_information_router()
        (route,) = [r for r in router.routes if r.path == path and method in r.methods]  # type: ignore[attr-defined]
        return frozenset(
            role
            for d in route.dependant.dependencies  # type: ignore[attr-defined]
            for sub in [d, *d.dependencies]
            for role in getattr(sub.call, "required_roles", ())
        )

    mi = "/management-information"
    assert roles_of("GET", f"{mi}/kpis") & WORKBENCH_ROLES == MANAGEMENT_INFORMATION_READERS
    assert roles_of(
        "POST", f"{mi}/budget-holder-reviews/{{month}}/{{debt_id}}/decision"
    ) & WORKBENCH_ROLES == (ROLES_FOR[Action.DECIDE_BUDGET_HOLDER_REVIEW] - {BUDGET_HOLDER})
    # Billing opens reading and deciding to its policy's budget holder roles, each `budget_holder_<...>`.
    with_holders = management_information_router(("budget_holder_operations",))
    (decide,) = [r for r in with_holders.routes if r.path.endswith("/decision")]  # type: ignore[attr-defined]
    billing_deciders = {
        role
        for d in decide.dependant.dependencies  # type: ignore[attr-defined]
        for sub in [d, *d.dependencies]
        for role in getattr(sub.call, "required_roles", ())
    }
    assert "budget_holder_operations" in billing_deciders
    assert Action.DECIDE_BUDGET_HOLDER_REVIEW in actions_allowed({"budget_holder_operations"})
    assert roles_of("POST", f"{mi}/budget-holder-reviews") == ROLES_FOR[Action.LIST_BUDGET_HOLDER_REVIEW]


def test_the_decisions_statuses_and_age_bands_are_billing_s():
    from services.billing.domain.aged_debt import AgeBand
    from services.billing.management_information.reviews import BudgetHolderDecision, ReviewStatus
    from services.workbench.domain import wording

    assert list(wording.AGE_BANDS) == [band.value for band in AgeBand]
    assert set(wording.BUDGET_HOLDER_DECISIONS) == {d.value for d in BudgetHolderDecision}
    assert set(wording.REVIEW_STATUSES) == {s.value for s in ReviewStatus}


# -- the rules of the pages -------------------------------------------------------------------------------------
def test_a_financial_year_is_two_years_running_and_a_month_is_a_real_month():
    errors = FormErrors()
    assert financial_year_from({"y": "2026/27"}, "y", errors) == "2026/27"
    assert financial_year_from({"y": "2099/00"}, "y", errors) == "2099/00"
    assert financial_year_from({"y": ""}, "y", errors) is None and not errors
    assert financial_year_from({"y": "2026/28"}, "y", errors) is None and errors.by_field["y"]
    assert month_from({"m": "2026-12"}, "m", errors) == "2026-12"
    assert month_from({"m": "2026-13"}, "m", errors) is None and errors.by_field["m"]


def test_billing_s_lines_add_up_by_directorate_and_by_service():
    bands = ["0-30", "over_120"]
    rows = [
        BandRow("Operations", "council_tax", {"0-30": 1, "over_120": 2}, 3),
        BandRow("Operations", "penalty_charge_notice", {"0-30": 10, "over_120": 0}, 10),
        BandRow("unassigned", "council_tax", {"0-30": 0, "over_120": 5}, 5),
    ]
    assert [(r.directorate, r.bands, r.total_pence) for r in summed_by(rows, "directorate", bands)] == [
        ("Operations", {"0-30": 11, "over_120": 2}, 13),
        ("unassigned", {"0-30": 0, "over_120": 5}, 5),
    ]
    assert [(r.debt_type, r.total_pence) for r in summed_by(rows, "debt_type", bands)] == [
        ("council_tax", 8),
        ("penalty_charge_notice", 10),
    ]


def test_pages_hold_fifty_and_many_pages_show_the_first_the_last_and_the_neighbours():
    assert page_asked("3").offset == 100 and page_asked("x").number == 1 and page_asked("0").number == 1
    last = pages_of(120, 9)
    assert (last.number, last.pages, last.total, last.offset) == (3, 3, 120, 100)
    assert pages_of(0, 1).pages == 1 and pages_of(0, 1).numbers() == [1]
    assert pages_of(120, 2).numbers() == [1, 2, 3]
    assert pages_of(118_750, 1_000).numbers() == [1, None, 999, 1000, 1001, None, 2375]
