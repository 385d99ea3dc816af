"""The collection KPIs of RBWM's report (5.1) and DOMAIN.md 10, as plain rules over one debt's postings.

- **In-year collection rate** (council tax; business rates): money received for the year's bills by the end of
  the period, as a percentage of the year's net collectable debit, to two decimal places (the definition of the
  DLUHC QRC4 return, line 5, and its statistical release "Collection rates for Council Tax and non-domestic rates
  in England": receipts in respect of the year's liability against the net collectable debit). Here:
  - the *net collectable debit* of a bill is what was charged less credit notes and cancellations posted by the
    period end (discounts, exemptions and reliefs reach billing as credit notes or a lower charge); costs,
    interest and fees are not debit, and a write-off does not reduce it (it is uncollected debit);
  - the *money received* for a bill is its payments and credits offset into it, less credit offset out of it and
    refunds, posted by the period end, counted up to the bill's net debit (billing pays instalments before costs,
    so money beyond the debit paid costs or is the customer's credit, not collection of the debit);
  - a month's rate is cumulative: from the start of the year to the month's last day, against the debit as at
    that day; the year's rate is as at 31 March.
- **Housing benefit overpayments not under arrangement**: what is owed on HB overpayment debts at the period end
  that no arrangement covered on that day (recovery's arrangements, made and not defaulted).
- **Sundry debt older than three months**: what is owed at the period end on sundry debts whose due date is more
  than three calendar months before it.

The store computes the same in one SQL statement over every debt (`stores/management_information.py`); an
integration test shows the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from services.billing.domain.balances import DebtPosting, PostingKind
from services.billing.domain.financial_year import FinancialYear
from services.billing.management_information.periods import three_months_before
from shared.debt_types import DebtType
from shared.money import Pence

DEBIT_KINDS = {PostingKind.CHARGE: 1, PostingKind.CREDIT_NOTE: -1, PostingKind.CANCELLATION: -1}
"""How each posting kind moves a bill's net collectable debit."""
RECEIPT_KINDS = {
    PostingKind.PAYMENT: 1,
    PostingKind.OFFSET_IN: 1,
    PostingKind.OFFSET_OUT: -1,
    PostingKind.REFUND: -1,
}
"""How each posting kind moves the money received for a bill."""
IN_YEAR_COLLECTION_TYPES = (DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES)


@dataclass(frozen=True)
class Posted:
    """One posting on a debt and the day it was posted."""

    kind: PostingKind
    amount_pence: Pence
    posted_on: date


@dataclass(frozen=True)
class ArrangementSpan:
    """An arrangement covering the debt: from the day it was made until the day it defaulted (if it did)."""

    made_on: date | None
    defaulted_on: date | None = None

    def covers(self, day: date) -> bool:
        """Whether the arrangement was in place on `day` (made by then, not yet defaulted)."""
        return (
            self.made_on is not None
            and self.made_on <= day
            and (self.defaulted_on is None or day < self.defaulted_on)
        )


@dataclass(frozen=True)
class DebtForKpis:
    """What the KPIs need of one debt: its type, year, due date, postings and arrangements."""

    debt_type: DebtType
    financial_year: FinancialYear
    due_date: date
    postings: tuple[Posted, ...]
    arrangements: tuple[ArrangementSpan, ...] = ()

    def _sum(self, weights: dict[PostingKind, int], by: date) -> Pence:
        return sum(weights.get(p.kind, 0) * p.amount_pence for p in self.postings if p.posted_on <= by)

    def net_collectable_debit(self, by: date) -> Pence:
        """Charged less credit notes and cancellations, posted by `by`."""
        return self._sum(DEBIT_KINDS, by)

    def collected_for_debit(self, by: date) -> Pence:
        """Money received for the bill by `by`, up to its net debit (never negative)."""
        return max(0, min(self._sum(RECEIPT_KINDS, by), self.net_collectable_debit(by)))

    def balance_on(self, day: date) -> Pence:
        """What the customer owed on the debt at the end of `day` (negative: a credit)."""
        return sum(
            DebtPosting("", p.kind, p.amount_pence).signed_pence for p in self.postings if p.posted_on <= day
        )

    def under_arrangement_on(self, day: date) -> bool:
        """Whether any arrangement covered the debt on `day`."""
        return any(a.covers(day) for a in self.arrangements)


@dataclass(frozen=True)
class CollectionRate:
    """Collected against the net collectable debit, and the rate (None when nothing was collectable)."""

    collected_pence: Pence
    net_collectable_debit_pence: Pence

    @property
    def rate_percent(self) -> Decimal | None:
        """The percentage to two decimal places, rounded half up (QRC4 line 5)."""
        if self.net_collectable_debit_pence <= 0:
            return None
        rate = Decimal(self.collected_pence) * 100 / Decimal(self.net_collectable_debit_pence)
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CollectionKpis:
    """The four KPIs of one period, as at `as_at`."""

    as_at: date
    council_tax: CollectionRate
    business_rates: CollectionRate
    hb_overpayments_not_under_arrangement_pence: Pence
    sundry_older_than_three_months_pence: Pence


def in_year_collection(
    debts: Iterable[DebtForKpis], debt_type: DebtType, year: FinancialYear, as_at: date
) -> CollectionRate:
    """The in-year collection of `debt_type` bills for `year`, as at `as_at` (the module's definition)."""
    chosen = [d for d in debts if d.debt_type == debt_type and d.financial_year == year]
    return CollectionRate(
        sum(d.collected_for_debit(as_at) for d in chosen), sum(d.net_collectable_debit(as_at) for d in chosen)
    )


def hb_overpayments_not_under_arrangement(debts: Iterable[DebtForKpis], as_at: date) -> Pence:
    """Owed on housing benefit overpayments at the end of `as_at` where no arrangement covered the debt."""
    return sum(
        max(0, d.balance_on(as_at))
        for d in debts
        if d.debt_type == DebtType.HOUSING_BENEFIT_OVERPAYMENT and not d.under_arrangement_on(as_at)
    )


def sundry_older_than_three_months(debts: Iterable[DebtForKpis], as_at: date) -> Pence:
    """Owed at the end of `as_at` on sundry debts due more than three calendar months before it."""
    cutoff = three_months_before(as_at)
    return sum(
        max(0, d.balance_on(as_at)) for d in debts if d.debt_type == DebtType.SUNDRY and d.due_date < cutoff
    )


def collection_kpis(debts: Iterable[DebtForKpis], year: FinancialYear, as_at: date) -> CollectionKpis:
    """Every KPI for the period of `year` ending `as_at`."""
    every = list(debts)
    return CollectionKpis(
        as_at,
        in_year_collection(every, DebtType.COUNCIL_TAX, year, as_at),
        in_year_collection(every, DebtType.BUSINESS_RATES, year, as_at),
        hb_overpayments_not_under_arrangement(every, as_at),
        sundry_older_than_three_months(every, as_at),
    )
