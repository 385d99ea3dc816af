"""Reversing interest and fees already charged when a breathing space hold arrives late.

The moratorium protects the debtor from its start date. If billing charged interest or a fee for any day on
or after that date (and within the moratorium, if it has already ended) before it heard of the hold, that
part is reversed. An interest charge straddling the start is reversed only for its covered days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.late_payment_charges import (
    LatePaymentCharge,
    LatePaymentChargeKind,
    simple_interest,
)
from shared.money import Pence


@dataclass(frozen=True)
class ChargeReversal:
    """The part of a charge to reverse, and how many of its days the moratorium covered."""

    charge: LatePaymentCharge
    amount_pence: Pence
    days_covered: int


def reversals_for_late_hold(
    charges: Iterable[LatePaymentCharge], hold: BreathingSpaceHold
) -> list[ChargeReversal]:
    """Every already-charged interest or fee, or part of one, that falls within `hold` and must be reversed.

    Pass the charges not yet reversed; a charge wholly outside the moratorium is left alone.
    """
    reversals = []
    for charge in charges:
        covered = sum(1 for n in range(charge.days) if hold.covers(charge.period_start + timedelta(days=n)))
        if covered == 0:
            continue
        if charge.kind is LatePaymentChargeKind.LATE_FEE or covered == charge.days:
            amount = charge.amount_pence
        else:
            # Keep exactly the interest the uncovered days would have earned on their own; reverse the rest.
            retained = simple_interest(
                charge.principal_pence,
                charge.annual_interest_percent,
                charge.days - covered,
                charge.day_count_basis,
            )
            amount = charge.amount_pence - min(retained, charge.amount_pence)
        if amount > 0:
            reversals.append(ChargeReversal(charge, amount, covered))
    return reversals


def total_reversed(reversals: Iterable[ChargeReversal]) -> Pence:
    """The total to take back off the debt."""
    return sum(r.amount_pence for r in reversals)
