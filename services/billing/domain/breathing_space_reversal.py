"""Reversing interest and fees already charged when a breathing space hold arrives late.

The moratorium protects the debtor from its start date. If billing charged interest or a fee for any day on
or after that date (and within the moratorium, if it has already ended) before it heard of the hold, that
part is reversed. An interest charge straddling the start is reversed only for its covered days. Only what was
charged on the moratorium debt is reversed: interest or a fee on an ongoing liability (a sum falling due after
the hold's `ongoing_after`) is not frozen (Debt Respite Scheme Regulations 2020 reg 7; `breathing_space_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.debt_position import DebtPosition, LineReduction, reductions_latest_first
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
        if not hold.protects_sum_due(charge.sum_due_on):
            continue  # charged on an ongoing liability: the moratorium does not freeze it
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


def reversal_reductions(
    debt: DebtPosition, charge_lines: Iterable[int], amount_pence: Pence
) -> list[LineReduction]:
    """How reversed interest and fees come off the debt's lines: off the unpaid interest and fee lines first
    (latest first), and only what of them had already been paid off the other lines (latest first), so an
    instalment, an ongoing liability among them, is never reduced while a reversed charge is still on the
    account. Never more than is outstanding: the caller treats the rest as the customer's credit."""
    numbers = set(charge_lines)
    charges = replace(debt, instalments=tuple(i for i in debt.instalments if i.number in numbers))
    others = replace(debt, instalments=tuple(i for i in debt.instalments if i.number not in numbers))
    off_charges = min(amount_pence, charges.outstanding_pence)
    off_others = min(amount_pence - off_charges, others.outstanding_pence)
    reductions = reductions_latest_first(charges, off_charges) if off_charges else []
    return reductions + (reductions_latest_first(others, off_others) if off_others else [])
