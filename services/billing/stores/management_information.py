"""The management information store: the KPIs of one period in one statement over every debt, unpaid amounts by
debt type, cost centre and due date (aged debt by directorate, the bad debt provision), the monthly
budget-holder review, and recovery's arrangements as billing's projection.

The KPI statement is the SQL twin of `management_information.kpis` (its posting weights are generated from the
domain's, so the two cannot drift apart silently; tests/integration/billing/test_management_information.py
shows they agree on the same debts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.balances import DebtPosting, PostingKind
from services.billing.domain.financial_year import FinancialYear
from services.billing.management_information.directorates import UnpaidByCostCentre
from services.billing.management_information.kpis import (
    DEBIT_KINDS,
    RECEIPT_KINDS,
    ArrangementSpan,
    CollectionKpis,
    CollectionRate,
    DebtForKpis,
    Posted,
)
from services.billing.management_information.periods import three_months_before
from services.billing.management_information.reviews import (
    BudgetHolderDecision,
    ReviewCandidate,
    ReviewEntry,
    ReviewStatus,
)
from services.billing.stores.debts import DEBT_IS_OPEN_SQL
from shared.debt_types import DebtType
from shared.persistence.stores import StoresOfOneTransaction


def _weighted(weights: dict[PostingKind, int]) -> str:
    cases = " ".join(
        f"WHEN '{kind.value}' THEN {weight} * p.amount_pence" for kind, weight in weights.items()
    )
    return f"CASE p.kind {cases} ELSE 0 END"


_SIGNED = _weighted({kind: 1 if DebtPosting("", kind, 1).signed_pence > 0 else -1 for kind in PostingKind})

ARRANGEMENT_COVERS_SQL = """EXISTS (
    SELECT 1 FROM arrangement_debt ad JOIN arrangement a ON a.arrangement_id = ad.arrangement_id
    WHERE ad.debt_id = k.debt_id AND a.made_on <= :as_at AND (a.defaulted_on IS NULL OR :as_at < a.defaulted_on))"""
"""Rule "an arrangement covered the debt that day": SQL twin of `kpis.ArrangementSpan.covers`."""

_KPIS = text(
    f"""
    WITH k AS (
        SELECT d.debt_id, d.debt_type,
               sum({_weighted(DEBIT_KINDS)}) AS debit,
               sum({_weighted(RECEIPT_KINDS)}) AS receipts,
               sum({_SIGNED}) AS balance
        FROM debt d JOIN posting p ON p.debt_id = d.debt_id
        WHERE p.posted_on <= :as_at
          AND ((d.debt_type IN ('{DebtType.COUNCIL_TAX}', '{DebtType.BUSINESS_RATES}') AND d.financial_year = :year)
               OR d.debt_type = '{DebtType.HOUSING_BENEFIT_OVERPAYMENT}'
               OR (d.debt_type = '{DebtType.SUNDRY}' AND d.due_date < :sundry_cutoff))
        GROUP BY d.debt_id, d.debt_type)
    SELECT
        coalesce(sum(greatest(0, least(receipts, debit))) FILTER (WHERE debt_type = '{DebtType.COUNCIL_TAX}'), 0)
            AS council_tax_collected,
        coalesce(sum(debit) FILTER (WHERE debt_type = '{DebtType.COUNCIL_TAX}'), 0) AS council_tax_debit,
        coalesce(sum(greatest(0, least(receipts, debit))) FILTER (WHERE debt_type = '{DebtType.BUSINESS_RATES}'), 0)
            AS business_rates_collected,
        coalesce(sum(debit) FILTER (WHERE debt_type = '{DebtType.BUSINESS_RATES}'), 0) AS business_rates_debit,
        coalesce(sum(greatest(0, balance)) FILTER (
            WHERE debt_type = '{DebtType.HOUSING_BENEFIT_OVERPAYMENT}' AND balance > 0
              AND NOT {ARRANGEMENT_COVERS_SQL}), 0) AS hb_not_under_arrangement,
        coalesce(sum(greatest(0, balance)) FILTER (WHERE debt_type = '{DebtType.SUNDRY}'), 0)
            AS sundry_older_than_three_months
    FROM k
    """
)

_UNPAID_BY_COST_CENTRE = text(
    f"""
    SELECT d.debt_type, d.income_code, l.due_date, sum(l.outstanding_pence) AS outstanding_pence
    FROM debt_line l JOIN debt d ON d.debt_id = l.debt_id
    WHERE {DEBT_IS_OPEN_SQL} AND l.outstanding_pence > 0
    GROUP BY d.debt_type, d.income_code, l.due_date
    """
)

_REVIEW_CANDIDATES = text(
    f"""
    SELECT d.debt_id, d.debt_type, d.income_code, min(l.due_date) AS oldest_unpaid_due,
           sum(l.outstanding_pence) AS outstanding_pence
    FROM debt_line l JOIN debt d ON d.debt_id = l.debt_id
    WHERE {DEBT_IS_OPEN_SQL} AND l.outstanding_pence > 0 AND d.debt_type = ANY(CAST(:debt_types AS text[]))
    GROUP BY d.debt_id, d.debt_type, d.income_code
    HAVING min(l.due_date) < :due_before
    """
)

_LIST_FOR_REVIEW = text(
    """
    INSERT INTO budget_holder_review (review_month, debt_id, debt_type, income_code, directorate, budget_holder,
        days_past_due, over_days, outstanding_pence, listed_on, decide_by)
    SELECT :review_month, e.* FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:debt_types AS text[]),
        CAST(:income_codes AS text[]), CAST(:directorates AS text[]), CAST(:budget_holders AS text[]),
        CAST(:days AS int[]), CAST(:over AS int[]), CAST(:outstanding AS bigint[]), CAST(:listed_on AS date[]),
        CAST(:decide_by AS date[])) AS e
    ON CONFLICT (review_month, debt_id) DO NOTHING
    """
)

_REVIEW_COLUMNS = """review_month, debt_id, debt_type, income_code, directorate, budget_holder, days_past_due,
    over_days, outstanding_pence, listed_on, decide_by, decision, decision_note, decided_by, decided_on"""

_REVIEW_ORDER = "ORDER BY r.directorate, r.over_days DESC, r.days_past_due DESC, r.debt_id"
"""The listing's order: by directorate, the oldest first."""
_IN_MONTH = "r.review_month = :review_month"
_OF_DIRECTORATES = "r.directorate = ANY(CAST(:directorates AS text[]))"
_STATUS_SQL = f"""CASE WHEN r.decided_on IS NOT NULL
        THEN CASE WHEN r.decided_on > r.decide_by THEN '{ReviewStatus.DECIDED_LATE}' ELSE '{ReviewStatus.DECIDED}' END
        WHEN CAST(:today AS date) > r.decide_by THEN '{ReviewStatus.OVERDUE}'
        ELSE '{ReviewStatus.AWAITING_DECISION}' END"""
"""Rule "a listed debt's status on a day": SQL twin of `reviews.ReviewEntry.status_on`."""
_REVIEWED_DEBT_COLUMNS = """d.external_reference, d.account_reference,
    (SELECT array_agg(p.customer_id ORDER BY p.customer_id) FROM debt_party p WHERE p.debt_id = r.debt_id)
        AS customer_ids"""
_QUALIFIED_REVIEW_COLUMNS = ", ".join(f"r.{c.strip()}" for c in _REVIEW_COLUMNS.split(","))
_EXTRA_COLUMNS = ("external_reference", "account_reference", "customer_ids")
_REVIEW = text(
    f"SELECT {_REVIEW_COLUMNS} FROM budget_holder_review WHERE review_month = :review_month AND debt_id = :debt_id"
)
_DECIDE = text(
    f"""
    UPDATE budget_holder_review SET decision = :decision, decision_note = :note, decided_by = :decided_by,
        decided_by_subject = :subject, decided_on = :decided_on
    WHERE review_month = :review_month AND debt_id = :debt_id AND decision IS NULL
    RETURNING {_REVIEW_COLUMNS}
    """
)

_ARRANGEMENT_MADE = text(
    """
    INSERT INTO arrangement (arrangement_id, customer_id, made_on, total_pence)
    VALUES (:arrangement_id, :customer_id, :made_on, :total_pence)
    ON CONFLICT (arrangement_id) DO UPDATE SET made_on = EXCLUDED.made_on, customer_id = EXCLUDED.customer_id,
        total_pence = EXCLUDED.total_pence
    """
)
_ARRANGEMENT_DEFAULTED = text(
    """
    INSERT INTO arrangement (arrangement_id, defaulted_on) VALUES (:arrangement_id, :defaulted_on)
    ON CONFLICT (arrangement_id) DO UPDATE SET defaulted_on = EXCLUDED.defaulted_on
    """
)
_ARRANGEMENT_DEBTS = text(
    """
    INSERT INTO arrangement_debt (arrangement_id, debt_id)
    SELECT :arrangement_id, unnest(CAST(:debt_ids AS uuid[]))
    ON CONFLICT DO NOTHING
    """
)

_DEBTS_FOR_KPIS = text(
    "SELECT debt_id, debt_type, financial_year, due_date FROM debt WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))"
)
_POSTINGS_FOR_KPIS = text(
    "SELECT debt_id, kind, amount_pence, posted_on FROM posting WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))"
)
_ARRANGEMENTS_FOR_KPIS = text(
    """SELECT ad.debt_id, a.made_on, a.defaulted_on FROM arrangement_debt ad
       JOIN arrangement a ON a.arrangement_id = ad.arrangement_id WHERE ad.debt_id = ANY(CAST(:debt_ids AS uuid[]))"""
)


def _entry(row: object) -> ReviewEntry:
    values = {k: v for k, v in row._mapping.items() if k not in _EXTRA_COLUMNS}  # type: ignore[attr-defined]
    values["debt_type"] = DebtType(values["debt_type"])
    if values["decision"] is not None:
        values["decision"] = BudgetHolderDecision(values["decision"])
    return ReviewEntry(**values)


@dataclass(frozen=True)
class ReviewedDebt:
    """A listed debt's entry with what billing knows of the debt itself: its references and who is liable."""

    entry: ReviewEntry
    external_reference: str
    account_reference: str | None
    customer_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class ReviewsPage:
    """One page of a month's listing: the month's counts by status, how many matched, and the page."""

    by_status: dict[str, int]
    total: int
    listed: list[ReviewedDebt]


def _scope(review_month: date, directorates: frozenset[str] | None) -> tuple[str, dict[str, Any]]:
    """The month's entries, of these directorates only when named (an empty set: none)."""
    params: dict[str, Any] = {"review_month": review_month}
    if directorates is None:
        return _IN_MONTH, params
    params["directorates"] = sorted(directorates)
    return f"{_IN_MONTH} AND {_OF_DIRECTORATES}", params


class ManagementInformationStore:
    """What management information reads and records, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def kpis(self, year: FinancialYear, as_at: date) -> CollectionKpis:
        """The four KPIs for `year` as at the end of `as_at`, in one pass over the debts and postings."""
        row = (
            await self.session.execute(
                _KPIS, {"as_at": as_at, "year": year.label, "sundry_cutoff": three_months_before(as_at)}
            )
        ).one()
        return CollectionKpis(
            as_at,
            CollectionRate(int(row.council_tax_collected), int(row.council_tax_debit)),
            CollectionRate(int(row.business_rates_collected), int(row.business_rates_debit)),
            int(row.hb_not_under_arrangement),
            int(row.sundry_older_than_three_months),
        )

    async def unpaid_by_cost_centre(self) -> list[UnpaidByCostCentre]:
        """Every unpaid amount on open debts, by debt type, cost centre and due date."""
        return [
            UnpaidByCostCentre(DebtType(r.debt_type), r.income_code, r.due_date, int(r.outstanding_pence))
            for r in await self.session.execute(_UNPAID_BY_COST_CENTRE)
        ]

    async def review_candidates(
        self, due_before: date, debt_types: Iterable[DebtType]
    ) -> list[ReviewCandidate]:
        """Open debts of these types with money unpaid whose oldest unpaid line fell due before `due_before`."""
        return [
            ReviewCandidate(
                r.debt_id, DebtType(r.debt_type), r.income_code, r.oldest_unpaid_due, int(r.outstanding_pence)
            )
            for r in await self.session.execute(
                _REVIEW_CANDIDATES,
                {"due_before": due_before, "debt_types": sorted(t.value for t in debt_types)},
            )
        ]

    async def list_for_review(self, review_month: date, entries: Sequence[ReviewEntry]) -> int:
        """Add the month's entries (a debt already listed this month keeps its entry); answers how many were new."""
        if not entries:
            return 0
        result = await self.session.execute(
            _LIST_FOR_REVIEW,
            {
                "review_month": review_month,
                "debt_ids": [e.debt_id for e in entries],
                "debt_types": [e.debt_type.value for e in entries],
                "income_codes": [e.income_code for e in entries],
                "directorates": [e.directorate for e in entries],
                "budget_holders": [e.budget_holder for e in entries],
                "days": [e.days_past_due for e in entries],
                "over": [e.over_days for e in entries],
                "outstanding": [e.outstanding_pence for e in entries],
                "listed_on": [e.listed_on for e in entries],
                "decide_by": [e.decide_by for e in entries],
            },
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def reviews_of(
        self, review_month: date, directorates: frozenset[str] | None = None
    ) -> list[ReviewEntry]:
        """The month's whole listing (of these directorates only, when named), by directorate, the oldest
        first."""
        where, params = _scope(review_month, directorates)
        statement = text(
            f"SELECT {_QUALIFIED_REVIEW_COLUMNS} FROM budget_holder_review r WHERE {where} {_REVIEW_ORDER}"
        )
        return [_entry(r) for r in await self.session.execute(statement, params)]

    async def reviews_page(
        self,
        review_month: date,
        today: date,
        *,
        directorates: frozenset[str] | None = None,
        status: ReviewStatus | None = None,
        debt_id: UUID | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> ReviewsPage:
        """One page of the month's listing (of these directorates only, when named) in the listing's order,
        narrowed to a status on `today` or one debt, each with the debt's references and who is liable; `total`
        counts what matched and `by_status` the whole month's (of those directorates) by status on `today`."""
        where, params = _scope(review_month, directorates)
        params["today"] = today
        counted = text(
            f"SELECT {_STATUS_SQL} AS status, count(*) AS debts FROM budget_holder_review r WHERE {where} "
            "GROUP BY 1"
        )
        by_status = {str(r.status): int(r.debts) for r in await self.session.execute(counted, params)}
        if status is not None:
            where += f" AND {_STATUS_SQL} = CAST(:status AS text)"
            params["status"] = status.value
        if debt_id is not None:
            where += " AND r.debt_id = :debt_id"
            params["debt_id"] = debt_id
            total = int(
                (
                    await self.session.execute(
                        text(f"SELECT count(*) FROM budget_holder_review r WHERE {where}"), params
                    )
                ).scalar_one()
            )
        else:
            total = by_status.get(status.value, 0) if status is not None else sum(by_status.values())
        page = text(
            f"SELECT {_QUALIFIED_REVIEW_COLUMNS}, {_REVIEWED_DEBT_COLUMNS} "
            f"FROM budget_holder_review r JOIN debt d ON d.debt_id = r.debt_id WHERE {where} {_REVIEW_ORDER} "
            "LIMIT :limit OFFSET :offset"
        )
        rows = await self.session.execute(page, {**params, "limit": limit, "offset": offset})
        listed = [
            ReviewedDebt(_entry(r), r.external_reference, r.account_reference, tuple(r.customer_ids or ()))
            for r in rows
        ]
        return ReviewsPage(by_status, total, listed)

    async def review(self, review_month: date, debt_id: UUID) -> ReviewEntry | None:
        """One debt's entry in the month's listing, if listed."""
        row = (
            await self.session.execute(_REVIEW, {"review_month": review_month, "debt_id": debt_id})
        ).one_or_none()
        return None if row is None else _entry(row)

    async def record_decision(
        self,
        review_month: date,
        debt_id: UUID,
        decision: BudgetHolderDecision,
        note: str | None,
        decided_by: str,
        subject: str,
        decided_on: date,
    ) -> ReviewEntry | None:
        """Record the decision once; None when the entry is missing or already decided."""
        row = (
            await self.session.execute(
                _DECIDE,
                {
                    "review_month": review_month,
                    "debt_id": debt_id,
                    "decision": decision.value,
                    "note": note,
                    "decided_by": decided_by,
                    "subject": subject,
                    "decided_on": decided_on,
                },
            )
        ).one_or_none()
        return None if row is None else _entry(row)

    async def arrangement_made(
        self,
        arrangement_id: UUID,
        customer_id: UUID | None,
        debt_ids: Sequence[UUID],
        made_on: date,
        total: int,
    ) -> None:
        """Keep an arrangement recovery made (a default that arrived first is kept)."""
        await self.session.execute(
            _ARRANGEMENT_MADE,
            {
                "arrangement_id": arrangement_id,
                "customer_id": customer_id,
                "made_on": made_on,
                "total_pence": total,
            },
        )
        await self.session.execute(
            _ARRANGEMENT_DEBTS, {"arrangement_id": arrangement_id, "debt_ids": list(debt_ids)}
        )

    async def arrangement_defaulted(
        self, arrangement_id: UUID, debt_ids: Sequence[UUID], defaulted_on: date
    ) -> None:
        """Keep an arrangement's default (whether or not its making has arrived yet)."""
        await self.session.execute(
            _ARRANGEMENT_DEFAULTED, {"arrangement_id": arrangement_id, "defaulted_on": defaulted_on}
        )
        await self.session.execute(
            _ARRANGEMENT_DEBTS, {"arrangement_id": arrangement_id, "debt_ids": list(debt_ids)}
        )

    async def debts_for_kpis(self, debt_ids: Sequence[UUID]) -> list[DebtForKpis]:
        """The named debts with their postings and arrangements, for the domain's KPI rules."""
        ids = {"debt_ids": list(debt_ids)}
        postings: dict[UUID, list[Posted]] = {}
        for r in await self.session.execute(_POSTINGS_FOR_KPIS, ids):
            postings.setdefault(r.debt_id, []).append(
                Posted(PostingKind(r.kind), int(r.amount_pence), r.posted_on)
            )
        spans: dict[UUID, list[ArrangementSpan]] = {}
        for r in await self.session.execute(_ARRANGEMENTS_FOR_KPIS, ids):
            spans.setdefault(r.debt_id, []).append(ArrangementSpan(r.made_on, r.defaulted_on))
        return [
            DebtForKpis(
                DebtType(r.debt_type),
                FinancialYear.parse(r.financial_year),
                r.due_date,
                tuple(postings.get(r.debt_id, ())),
                tuple(spans.get(r.debt_id, ())),
            )
            for r in await self.session.execute(_DEBTS_FOR_KPIS, ids)
        ]


@dataclass(frozen=True)
class ManagementInformationStores(StoresOfOneTransaction):
    """The management information store, bound to one transaction."""

    management_information: ManagementInformationStore
