"""The Late Payment of Commercial Debts (Interest) Act 1998, and when a debtor may be charged late payment at all.

Statutory interest and fixed sums are due only from a business debtor (an organisation, never an individual):
- interest (s.4, and the Late Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002): simple
  interest at 8% over the reference rate, which is the Bank of England base rate in force on 31 December (for
  interest from 1 January to 30 June) or on 30 June (for 1 July to 31 December): fixed for each six months
  however often the base rate moves within it;
- a fixed sum (s.5A), once per debt when statutory interest begins to run (the day after the due date): £40 for
  a debt under £1,000, £70 from £1,000 to £9,999.99, £100 for £10,000 or more.
An individual (a consumer) is charged late payment only where the contract for the charge provides for it (a
flag on the charge, off unless the council system sets it), on the council's contractual terms.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from shared.money import Pence

STATUTORY_MARGIN_PERCENT = Decimal("8")
"""Statutory interest is the reference rate plus 8% a year (Rate of Interest (No. 3) Order 2002)."""


class LatePaymentBasis(StrEnum):
    """Why a debt is charged late payment, recorded with each charge."""

    LATE_PAYMENT_ACT = "late_payment_act"  # a business debtor, statutory interest and the fixed sum
    CONTRACT = "contract"  # the charge's contract provides interest and a fee (any debtor)


@dataclass(frozen=True)
class BaseRateChange:
    """The Bank of England base rate from `effective_from` until the next change."""

    effective_from: date
    percent: Decimal


@dataclass(frozen=True)
class BaseRateTable:
    """The Bank of England base rate over time, from the council's configuration (oldest change first)."""

    changes: tuple[BaseRateChange, ...] = ()

    def __post_init__(self) -> None:
        if list(self.changes) != sorted(self.changes, key=lambda c: c.effective_from):
            raise ValueError("base rate changes must be in date order")

    def in_force_on(self, day: date) -> Decimal:
        """The base rate in force at the end of `day`; ValueError before the first dated change."""
        at = bisect_right([c.effective_from for c in self.changes], day)
        if at == 0:
            raise ValueError(f"no Bank of England base rate is configured for {day.isoformat()}")
        return self.changes[at - 1].percent


def base_rate_table_from_mapping(config: Mapping[Any, Any]) -> BaseRateTable:
    """A table from `{date it took effect: percent}` (YAML dates or ISO strings, percents as strings)."""
    changes = [
        BaseRateChange(day if isinstance(day, date) else date.fromisoformat(str(day)), Decimal(str(percent)))
        for day, percent in config.items()
    ]
    return BaseRateTable(tuple(sorted(changes, key=lambda c: c.effective_from)))


def reference_day(day: date) -> date:
    """The day whose base rate is the reference rate for interest on `day`: 31 December before a day in
    January to June, 30 June before a day in July to December."""
    return date(day.year - 1, 12, 31) if day.month <= 6 else date(day.year, 6, 30)


def reference_period_end(day: date) -> date:
    """The last day of the six months (to 30 June or 31 December) `day` falls in."""
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def statutory_interest_percent(day: date, base_rates: BaseRateTable) -> Decimal:
    """The statutory rate a year for interest on `day`: the reference rate plus 8%."""
    return base_rates.in_force_on(reference_day(day)) + STATUTORY_MARGIN_PERCENT


def reference_periods(first: date, last: date) -> list[tuple[date, date]]:
    """`first`..`last` cut at 30 June and 31 December, so each part has one reference rate."""
    periods = []
    start = first
    while start <= last:
        end = min(reference_period_end(start), last)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


class FixedSumBand(StrEnum):
    """The band of the Act's fixed sum (s.5A) a debt falls in by its size, recorded with the fixed sum."""

    UNDER_1000 = "under_1000"  # £40: a debt under £1,000
    FROM_1000_TO_9999_99 = "1000_to_9999.99"  # £70: from £1,000 to £9,999.99
    FROM_10000 = "10000_or_more"  # £100: £10,000 or more


FIXED_SUMS_PENCE: Mapping[FixedSumBand, Pence] = {
    FixedSumBand.UNDER_1000: 40_00,
    FixedSumBand.FROM_1000_TO_9999_99: 70_00,
    FixedSumBand.FROM_10000: 100_00,
}
"""The fixed sum in each band (s.5A(2))."""


def fixed_sum_band(debt_pence: Pence) -> FixedSumBand:
    """The band a debt of this size falls in (s.5A): under £1,000, £1,000 to £9,999.99, or £10,000 or more."""
    if debt_pence < 1_000_00:
        return FixedSumBand.UNDER_1000
    if debt_pence < 10_000_00:
        return FixedSumBand.FROM_1000_TO_9999_99
    return FixedSumBand.FROM_10000


def fixed_sum_pence(debt_pence: Pence) -> Pence:
    """The fixed sum for a debt of this size (s.5A): £40 under £1,000, £70 to £9,999.99, £100 from £10,000."""
    return FIXED_SUMS_PENCE[fixed_sum_band(debt_pence)]


@dataclass(frozen=True)
class ChargeBasis:
    """Why one late payment charge was made, recorded with it (issue 19): the basis (the Act, or the charge's
    contract), and for the Act's interest the reference day and the Bank of England base rate in force on it
    (the reference rate; the rate charged is it + 8%), for its fixed sum the band the debt's size fell in."""

    basis: LatePaymentBasis
    reference_day: date | None = None
    base_rate_percent: Decimal | None = None
    fixed_sum_band: FixedSumBand | None = None


UNDER_CONTRACT = ChargeBasis(LatePaymentBasis.CONTRACT)
"""The basis of a charge on the council's contractual terms, which its contract provides (any debtor)."""


def statutory_interest_basis(day: date, base_rates: BaseRateTable) -> ChargeBasis:
    """The basis of the Act's interest on `day`: its reference day and the base rate in force on it."""
    reference = reference_day(day)
    return ChargeBasis(LatePaymentBasis.LATE_PAYMENT_ACT, reference, base_rates.in_force_on(reference))


def fixed_sum_basis(debt_pence: Pence) -> ChargeBasis:
    """The basis of the Act's fixed sum on a debt of this size: the band it fell in."""
    return ChargeBasis(LatePaymentBasis.LATE_PAYMENT_ACT, fixed_sum_band=fixed_sum_band(debt_pence))


def late_payment_basis(
    late_payment_act: bool,
    contractual_terms: bool,
    debtor_is_business: bool,
    contract_provides: bool,
) -> LatePaymentBasis | None:
    """On what basis (if any) a debt is charged late payment.

    `late_payment_act`: the council claims statutory interest and fixed sums on this debt type;
    `contractual_terms`: it has contractual interest or fee terms for it; `debtor_is_business`: every liable
    party is an organisation; `contract_provides`: the charge's contract provides for late payment charges.
    A business debtor is charged under the Act where the council claims it; otherwise anyone is charged the
    contractual terms only where the charge's contract provides them; an individual never under the Act.
    """
    if late_payment_act and debtor_is_business:
        return LatePaymentBasis.LATE_PAYMENT_ACT
    if contractual_terms and contract_provides:
        return LatePaymentBasis.CONTRACT
    return None


def worked_periods(
    first: date, last: date, base_rates: BaseRateTable
) -> Sequence[tuple[date, date, Decimal]]:
    """Each six-month part of `first`..`last` with its statutory rate a year."""
    return [(s, e, statutory_interest_percent(s, base_rates)) for s, e in reference_periods(first, last)]
