"""Reinstatement after a payment on a written-off debt (Derby App.1 §12), unless the debt can no longer lawfully
be enforced.

The customer stays liable after most write-offs. A payment received later reinstates the debt: the payment is
applied and the unpaid remainder (the written-off amount minus the payment) is referred back for enforcement.

Some reasons end the liability the council may enforce: a debt remitted by the court, released in insolvency or
bankruptcy, discharged by a prison sentence served in lieu, or statute barred (issue 19). Sending such a debt
back to recovery would be unlawful, so a payment on it is not a reinstatement: the money is kept as a voluntary
payment against the debt, and the debt is put "for consideration" by an officer (Derby's wording, App.1 §12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.money import Pence

from .reasons import canonical_reason_code

# The catalogue's reasons after which the debt cannot lawfully be enforced (DOMAIN.md 9; Derby App.1 §7):
# remitted by the court; released by a formal insolvency order, bankruptcy included; discharged by a prison
# sentence served in lieu; barred by the Limitation Act 1980.
NO_LONGER_ENFORCEABLE_REASONS = frozenset(
    {"remitted_by_court", "formal_insolvency", "prison_served_in_lieu", "statute_barred"}
)


def no_longer_enforceable(reason_code: str) -> bool:
    """True when a debt written off for this reason can no longer lawfully be enforced."""
    return canonical_reason_code(reason_code) in NO_LONGER_ENFORCEABLE_REASONS


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
    reason_code: str = ""
    """The reason it was written off for (decides whether a payment may reinstate it)."""


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


@dataclass(frozen=True, slots=True)
class PaymentForConsideration:
    """A payment on a debt that can no longer lawfully be enforced: the write-off stands, nothing is referred
    for enforcement, and the money is kept as a voluntary payment against the debt; an officer
    (``referred_to_role``) considers what happens next (e.g. refund or keep)."""

    debt_id: str
    customer_id: str
    reason_code: str
    written_off_pence: Pence
    payment_pence: Pence
    received_on: date
    referred_to_role: str | None


def decide_payment_on_written_off_debt(
    debt: WrittenOffDebt, payment_pence: Pence, received_on: date, referral_role: str | None = None
) -> Reinstatement | PaymentForConsideration:
    """What a payment on a written-off debt does: put for consideration when the debt's write-off reason means
    it can no longer lawfully be enforced, otherwise reinstate it (`reinstate_on_payment`)."""
    if payment_pence <= 0:
        raise ValueError("only a payment of more than £0.00 is applied to a written-off debt")
    if no_longer_enforceable(debt.reason_code):
        return PaymentForConsideration(
            debt_id=debt.debt_id,
            customer_id=debt.customer_id,
            reason_code=canonical_reason_code(debt.reason_code),
            written_off_pence=debt.written_off_pence,
            payment_pence=payment_pence,
            received_on=received_on,
            referred_to_role=referral_role,
        )
    return reinstate_on_payment(debt, payment_pence, received_on, referral_role)
