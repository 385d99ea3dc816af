"""Reinstatement after a payment on a written-off debt (Derby App.1 §12).

The customer stays liable after a write-off. A payment received later reinstates the debt: the payment is
applied and the unpaid remainder (the written-off amount minus the payment) is referred back for enforcement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.money import Pence


@dataclass(frozen=True, slots=True)
class WrittenOffDebt:
    """A debt (or part of one) the council has written off, as the write-off service recorded it."""

    debt_id: str
    customer_id: str
    council: str
    income_code: str
    written_off_pence: Pence
    written_off_on: date
    schedule_id: str


@dataclass(frozen=True, slots=True)
class Reinstatement:
    """The reversal of a write-off after a payment.

    ``payment_applied_pence`` is the part of the payment that reduces the reinstated debt; ``excess_pence`` is
    any payment beyond the written-off amount (for billing to treat as a credit); ``remainder_pence`` is what
    is still owed and, when positive, is referred to ``referred_to_role`` for further enforcement.
    """

    debt_id: str
    customer_id: str
    income_code: str
    written_off_pence: Pence
    payment_pence: Pence
    payment_applied_pence: Pence
    remainder_pence: Pence
    excess_pence: Pence
    received_on: date
    refer_for_enforcement: bool
    referred_to_role: str | None


def reinstate_on_payment(
    debt: WrittenOffDebt, payment_pence: Pence, received_on: date, referral_role: str | None = None
) -> Reinstatement:
    """Reinstate a written-off debt when ``payment_pence`` is received on it."""
    if payment_pence <= 0:
        raise ValueError("only a payment of more than £0.00 reinstates a written-off debt")
    applied = min(payment_pence, debt.written_off_pence)
    remainder = debt.written_off_pence - applied
    return Reinstatement(
        debt_id=debt.debt_id,
        customer_id=debt.customer_id,
        income_code=debt.income_code,
        written_off_pence=debt.written_off_pence,
        payment_pence=payment_pence,
        payment_applied_pence=applied,
        remainder_pence=remainder,
        excess_pence=payment_pence - applied,
        received_on=received_on,
        refer_for_enforcement=remainder > 0,
        referred_to_role=referral_role if remainder > 0 else None,
    )
