"""Late-payment interest and fees where the council has configured them (contractual terms, and the Late
Payment Act's statutory interest and fixed sums at the end of this module).

Interest is simple daily interest on the overdue principal at an annual Decimal rate; a fixed fee is charged
once when the debt is a configured number of days overdue. No interest accrues for a day covered by a
breathing space hold, and a fee whose day falls in a hold is never charged (the regulations freeze interest,
fees and charges for the moratorium; they are not merely postponed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from services.billing.domain.breathing_space_hold import BreathingSpaceHold, is_frozen
from services.billing.domain.late_payment_act import (
    UNDER_CONTRACT,
    BaseRateTable,
    ChargeBasis,
    fixed_sum_basis,
    fixed_sum_pence,
    statutory_interest_basis,
    worked_periods,
)
from services.billing.domain.late_payment_terms import LatePaymentTerms
from shared.money import Pence


class LatePaymentChargeKind(StrEnum):
    """Interest for a run of days, or the one-off late-payment fee."""

    INTEREST = "interest"
    LATE_FEE = "late_fee"


@dataclass(frozen=True)
class LatePaymentCharge:
    """Interest or a fee added to a debt, with what is needed to reverse it later.

    Interest covers `period_start`..`period_end` inclusive at `annual_interest_percent` on `principal_pence`;
    a fee has `period_start == period_end`, the day it was charged. `sum_due_on` is the due date of the sum it
    was charged on (None: not known), which says whether a breathing space protects it (`breathing_space_scope`).
    `basis` is why it was charged (the Act or the contract, with the reference and base rate or the fixed-sum
    band; None: charged before the basis was recorded).
    """

    debt_id: str
    kind: LatePaymentChargeKind
    period_start: date
    period_end: date
    amount_pence: Pence
    principal_pence: Pence = 0
    annual_interest_percent: Decimal = Decimal("0")
    day_count_basis: int = 365
    sum_due_on: date | None = None
    basis: ChargeBasis | None = None

    @property
    def days(self) -> int:
        """The number of days the charge covers."""
        return (self.period_end - self.period_start).days + 1


def simple_interest(
    principal_pence: Pence, annual_percent: Decimal, days: int, day_count_basis: int = 365
) -> Pence:
    """Simple interest on `principal_pence` for `days` days, rounded half up to the penny."""
    exact = (
        Decimal(principal_pence) * annual_percent / Decimal(100) * Decimal(days) / Decimal(day_count_basis)
    )
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def interest_charges(
    debt_id: str,
    principal_pence: Pence,
    terms: LatePaymentTerms,
    due_date: date,
    from_day: date,
    to_day: date,
    holds: Sequence[BreathingSpaceHold] = (),
    basis: ChargeBasis = UNDER_CONTRACT,
) -> list[LatePaymentCharge]:
    """Interest on an overdue principal for the days `from_day`..`to_day` inclusive, each charge recorded with
    `basis` (the contractual terms unless the caller says otherwise).

    Interest runs only after `due_date` and never on a day a hold covers, so a hold splits the period into
    separate charges either side of it. The caller passes a constant principal: when a payment changes it,
    call again for the days after.
    """
    if principal_pence <= 0 or terms.annual_interest_percent <= 0:
        return []
    first = max(from_day, due_date + timedelta(days=1))
    runs: list[list[date]] = []
    for day in _days(first, to_day) if first <= to_day else []:
        if is_frozen(day, holds):
            runs.append([])
            continue
        if not runs or not runs[-1]:
            runs.append([])
        runs[-1].append(day)
    charges = []
    for run in (r for r in runs if r):
        amount = simple_interest(
            principal_pence, terms.annual_interest_percent, len(run), terms.day_count_basis
        )
        if amount > 0:
            charges.append(
                LatePaymentCharge(
                    debt_id=debt_id,
                    kind=LatePaymentChargeKind.INTEREST,
                    period_start=run[0],
                    period_end=run[-1],
                    amount_pence=amount,
                    principal_pence=principal_pence,
                    annual_interest_percent=terms.annual_interest_percent,
                    day_count_basis=terms.day_count_basis,
                    sum_due_on=due_date,
                    basis=basis,
                )
            )
    return charges


def late_fee_day(terms: LatePaymentTerms, due_date: date) -> date:
    """The day the late-payment fee falls due on an unpaid debt."""
    return due_date + timedelta(days=terms.fee_after_days)


def late_fee_charge(
    debt_id: str,
    terms: LatePaymentTerms,
    due_date: date,
    as_of: date,
    outstanding_pence: Pence,
    already_charged: bool,
    holds: Sequence[BreathingSpaceHold] = (),
    basis: ChargeBasis = UNDER_CONTRACT,
) -> LatePaymentCharge | None:
    """The late fee to add on `as_of`, recorded with `basis` (the contractual terms unless the caller says
    otherwise), or None: not configured, not due, paid, already charged or frozen."""
    fee_day = late_fee_day(terms, due_date)
    if (
        terms.late_fee_pence <= 0
        or already_charged
        or outstanding_pence <= 0
        or as_of <= due_date
        or as_of < fee_day
        or is_frozen(fee_day, holds)
    ):
        return None
    return LatePaymentCharge(
        debt_id,
        LatePaymentChargeKind.LATE_FEE,
        fee_day,
        fee_day,
        terms.late_fee_pence,
        sum_due_on=due_date,
        basis=basis,
    )


def statutory_interest_charges(
    debt_id: str,
    principal_pence: Pence,
    base_rates: BaseRateTable,
    due_date: date,
    from_day: date,
    to_day: date,
    holds: Sequence[BreathingSpaceHold] = (),
) -> list[LatePaymentCharge]:
    """Statutory interest (Late Payment Act 1998) on an overdue principal for `from_day`..`to_day`: a charge per
    six-month reference period at that period's rate (reference rate + 8%), split by breathing space holds,
    each recorded with its reference day and the base rate in force on it."""
    first = max(from_day, due_date + timedelta(days=1))
    if first > to_day:
        return []
    charges = []
    for start, end, percent in worked_periods(first, to_day, base_rates):
        charges += interest_charges(
            debt_id,
            principal_pence,
            LatePaymentTerms(annual_interest_percent=percent),
            due_date,
            start,
            end,
            holds,
            statutory_interest_basis(start, base_rates),
        )
    return charges


def fixed_sum_charge(
    debt_id: str,
    due_date: date,
    as_of: date,
    principal_pence: Pence,
    already_charged: bool,
    holds: Sequence[BreathingSpaceHold] = (),
) -> LatePaymentCharge | None:
    """The Act's fixed sum (s.5A), once per debt on the day statutory interest begins to run (the day after the
    due date), sized by the unpaid debt: £40, £70 or £100, recorded with the band; None if already charged,
    paid or frozen."""
    terms = LatePaymentTerms(late_fee_pence=fixed_sum_pence(principal_pence), fee_after_days=1)
    return late_fee_charge(
        debt_id,
        terms,
        due_date,
        as_of,
        principal_pence,
        already_charged,
        holds,
        fixed_sum_basis(principal_pence),
    )
