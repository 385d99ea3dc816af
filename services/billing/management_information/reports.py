"""Management information read from billing's tables and shaped by the domain rules: the SQL in
`ManagementInformationStore`, the rules in `kpis`, `directorates`, `provision` and `reviews`. Each report has its
JSON form and its CSV rows (one flat dict per line), served alike by HTTP and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.billing.billing import Billing
from services.billing.domain.aged_debt import AgeBand
from services.billing.domain.financial_year import FinancialYear
from services.billing.management_information.directorates import (
    AgedDebtByDirectorate,
    aged_debt_by_directorate,
)
from services.billing.management_information.kpis import CollectionKpis, CollectionRate
from services.billing.management_information.periods import ReportingPeriod, months_of, year_period
from services.billing.management_information.policy import ManagementInformationPolicy
from services.billing.management_information.provision import BadDebtProvision, bad_debt_provision
from services.billing.management_information.reviews import (
    BudgetHolderDecision,
    ReviewEntry,
    monthly_listing,
    review_month_of,
    roles_that_may_decide,
)
from services.billing.stores.management_information import (
    ManagementInformationStore,
    ManagementInformationStores,
    ReviewsPage,
)
from shared.auth import Principal

CsvRows = list[dict[str, Any]]


@dataclass(frozen=True)
class ManagementInformation:
    """Billing and the council's management information policy, for the routes and commands."""

    billing: Billing
    policy: ManagementInformationPolicy

    def transaction(self) -> Any:
        """A transaction with the management information store."""
        return self.billing.runtime.transaction(ManagementInformationStores.on, self.billing)


# -- KPIs -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodKpis:
    """The KPIs of one reporting period."""

    period: ReportingPeriod
    kpis: CollectionKpis


async def kpis_of(store: ManagementInformationStore, periods: list[ReportingPeriod]) -> list[PeriodKpis]:
    """The KPIs of each period, one statement each."""
    return [PeriodKpis(p, await store.kpis(p.financial_year, p.ends)) for p in periods]


def periods_of_year(year: FinancialYear, today: date) -> list[ReportingPeriod]:
    """Each month of the year begun by `today`, then the year itself."""
    return [*months_of(year, up_to=today), year_period(year)]


def _rate(rate: CollectionRate) -> dict[str, Any]:
    percent = rate.rate_percent
    return {
        "collected_pence": rate.collected_pence,
        "net_collectable_debit_pence": rate.net_collectable_debit_pence,
        "rate_percent": None if percent is None else str(percent),
    }


def kpis_json(rows: list[PeriodKpis]) -> dict[str, Any]:
    """The KPIs by period, pence and percentages as strings of two decimals."""
    return {
        "definitions": {
            "in_year_collection_rate": "money received for the financial year's bills by the period end (up to "
            "each bill's net debit), as a percentage of the year's net collectable debit (charges less credit "
            "notes and cancellations; costs, interest and fees excluded), two decimals rounded half up: the "
            "DLUHC QRC4 in-year collection rate",
            "hb_overpayments_not_under_arrangement": "owed at the period end on housing benefit overpayments no "
            "recovery arrangement covered that day (RBWM report 5.1)",
            "sundry_older_than_three_months": "owed at the period end on sundry debts due more than three "
            "calendar months before it (RBWM report 5.1)",
        },
        "periods": [
            {
                "period": r.period.label,
                "financial_year": r.period.financial_year.label,
                "as_at": r.period.ends.isoformat(),
                "council_tax": _rate(r.kpis.council_tax),
                "business_rates": _rate(r.kpis.business_rates),
                "hb_overpayments_not_under_arrangement_pence": r.kpis.hb_overpayments_not_under_arrangement_pence,
                "sundry_older_than_three_months_pence": r.kpis.sundry_older_than_three_months_pence,
            }
            for r in rows
        ],
    }


def kpis_csv(rows: list[PeriodKpis]) -> CsvRows:
    """One line per period."""
    lines = []
    for period in kpis_json(rows)["periods"]:
        line: dict[str, Any] = {k: period[k] for k in ("period", "financial_year", "as_at")}
        for tax in ("council_tax", "business_rates"):
            for key, value in period[tax].items():
                line[f"{tax}_{key}"] = value
        line["hb_overpayments_not_under_arrangement_pence"] = period[
            "hb_overpayments_not_under_arrangement_pence"
        ]
        line["sundry_older_than_three_months_pence"] = period["sundry_older_than_three_months_pence"]
        lines.append(line)
    return lines


# -- aged debt by directorate and the bad debt provision ---------------------------------------------------------
async def aged_debt_report(
    store: ManagementInformationStore, policy: ManagementInformationPolicy, as_of: date
) -> AgedDebtByDirectorate:
    """Unpaid debt on `as_of` by directorate, debt type and age band."""
    return aged_debt_by_directorate(await store.unpaid_by_cost_centre(), policy, as_of)


def aged_debt_json(report: AgedDebtByDirectorate) -> dict[str, Any]:
    """The report in pence, with the bands in order."""
    return {
        "as_of": report.as_of.isoformat(),
        "bands": [b.value for b in AgeBand],
        "rows": aged_debt_csv(report),
        "totals_pence": {b.value: p for b, p in report.totals.items()},
    }


def aged_debt_csv(report: AgedDebtByDirectorate) -> CsvRows:
    """One line per directorate and debt type."""
    return [
        {
            "directorate": r.directorate,
            "debt_type": r.debt_type.value,
            **{f"{b.value}_pence": r.bands[b] for b in AgeBand},
            "total_pence": r.total_pence,
        }
        for r in report.rows
    ]


async def provision_report(
    store: ManagementInformationStore, policy: ManagementInformationPolicy, as_of: date
) -> BadDebtProvision:
    """The bad debt provision on `as_of` with the council's percentages."""
    return bad_debt_provision(await store.unpaid_by_cost_centre(), policy, as_of)


def provision_csv(report: BadDebtProvision) -> CsvRows:
    """One line per debt type and age band."""
    return [
        {
            "debt_type": r.debt_type.value,
            "age_band": b.value,
            "unpaid_pence": r.unpaid[b],
            "percent": str(report.percent[b]),
            "provision_pence": r.provision[b],
        }
        for r in report.rows
        for b in AgeBand
    ]


def provision_json(report: BadDebtProvision) -> dict[str, Any]:
    """The provision in pence, per debt type and band, with the percentages and the rounding rule."""
    return {
        "as_of": report.as_of.isoformat(),
        "council": report.council,
        "percent_by_band": {b.value: str(p) for b, p in report.percent.items()},
        "rounding": "per debt type and age band: unpaid x percent / 100, half up to the penny; totals are sums",
        "rows": [
            {
                "debt_type": r.debt_type.value,
                "unpaid_pence": {b.value: p for b, p in r.unpaid.items()},
                "provision_pence": {b.value: p for b, p in r.provision.items()},
                "total_unpaid_pence": r.unpaid_pence,
                "total_provision_pence": r.provision_pence,
            }
            for r in report.rows
        ],
        "total_unpaid_pence": report.unpaid_pence,
        "total_provision_pence": report.provision_pence,
    }


# -- the monthly budget-holder review ---------------------------------------------------------------------------
async def list_month_for_review(
    store: ManagementInformationStore, policy: ManagementInformationPolicy, listed_on: date
) -> tuple[date, int, int]:
    """List the month's debts over the thresholds to their budget holders (a debt already listed this month
    keeps its entry): answers the review month, the debts over the threshold and how many were newly listed."""
    due_before = listed_on - timedelta(days=policy.review.listing_threshold)
    entries = monthly_listing(
        await store.review_candidates(due_before, policy.review.debt_types), policy, listed_on
    )
    month = review_month_of(listed_on)
    return month, len(entries), await store.list_for_review(month, entries)


def review_json(entry: ReviewEntry, today: date) -> dict[str, Any]:
    """One listed debt with its deadline, decision and status on `today`."""
    return {
        "review_month": entry.review_month.isoformat()[:7],
        "debt_id": str(entry.debt_id),
        "debt_type": entry.debt_type.value,
        "income_code": entry.income_code,
        "directorate": entry.directorate,
        "budget_holder": entry.budget_holder,
        "days_past_due": entry.days_past_due,
        "over_days": entry.over_days,
        "outstanding_pence": entry.outstanding_pence,
        "listed_on": entry.listed_on.isoformat(),
        "decide_by": entry.decide_by.isoformat(),
        "decision": entry.decision.value if entry.decision else None,
        "decision_note": entry.decision_note,
        "decided_by": entry.decided_by,
        "decided_on": entry.decided_on.isoformat() if entry.decided_on else None,
        "status": entry.status_on(today).value,
    }


def reviews_json(entries: list[ReviewEntry], today: date) -> dict[str, Any]:
    """The month's listing with counts by status."""
    rows = [review_json(e, today) for e in entries]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return {"as_of": today.isoformat(), "by_status": counts, "reviews": rows}


def reviews_page_json(page: ReviewsPage, today: date, offset: int) -> dict[str, Any]:
    """One page of the month's listing as billing's store cut it: each debt with its references and the
    customers liable on it (`customer_ids`), `total` counting every entry that matched, `offset` where the page
    starts and `by_status` the month's."""
    return {
        "as_of": today.isoformat(),
        "by_status": page.by_status,
        "reviews": [
            {
                **review_json(listed.entry, today),
                "external_reference": listed.external_reference,
                "account_reference": listed.account_reference,
                "customer_ids": [str(c) for c in listed.customer_ids],
            }
            for listed in page.listed
        ],
        "total": page.total,
        "offset": offset,
    }


class DecisionRefused(Exception):
    """The decision cannot be recorded; `status` is the HTTP answer (403, 404 or 409) and the text the reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


async def record_decision(
    store: ManagementInformationStore,
    policy: ManagementInformationPolicy,
    review_month: date,
    debt_id: UUID,
    decision: BudgetHolderDecision,
    note: str | None,
    decider: Principal,
    today: date,
) -> ReviewEntry:
    """Record the budget holder's decision on a listed debt, once, as the signed-in principal."""
    entry = await store.review(review_month, debt_id)
    if entry is None:
        raise DecisionRefused(404, f"debt {debt_id} is not on the review of {review_month.isoformat()[:7]}")
    allowed = roles_that_may_decide(policy, entry.directorate)
    if not decider.holds_any(allowed):
        raise DecisionRefused(
            403,
            f"{decider.recorded_as} may not decide for {entry.directorate}: needs one of {', '.join(sorted(allowed))}",
        )
    decided = await store.record_decision(
        review_month, debt_id, decision, note, decider.recorded_as, decider.subject, today
    )
    if decided is None:
        raise DecisionRefused(409, f"the decision on debt {debt_id} for this month is already recorded")
    return decided


# -- the reports as of a day, alike for HTTP and the command line ------------------------------------------------
AS_OF_REPORTS: dict[str, tuple[Any, Any, Any]] = {
    "aged-debt": (aged_debt_report, aged_debt_json, aged_debt_csv),
    "bad-debt-provision": (provision_report, provision_json, provision_csv),
}
"""Each report read as of a day: how it is built, its JSON and its CSV rows."""


async def report_as_of(mi: ManagementInformation, name: str, on: date) -> tuple[dict[str, Any], CsvRows]:
    """The named report (`AS_OF_REPORTS`) as of `on`, as JSON and as CSV rows."""
    build, to_json, to_csv = AS_OF_REPORTS[name]
    async with mi.transaction() as handling:
        report = await build(handling.stores.management_information, mi.policy, on)
    return to_json(report), to_csv(report)
