"""An officer's decision on a payment put for consideration (issue 19; Derby App.1 §12 "for consideration"): a
payment received on a debt written off for a reason that ends lawful enforcement (remitted by the court,
insolvency, prison served in lieu, statute barred), which billing holds against the debt meanwhile.

The officer decides one of three things, always with the reason, and the decision is recorded with who made it:
- **accept** the payment against the written-off debt as a voluntary payment: the write-off stands and nothing is
  referred for enforcement (a debtor may pay a debt the council can no longer enforce);
- **reinstate** the debt: the write-off was wrong (e.g. the bankruptcy was annulled, the remission set aside), so
  the write-off is reversed, the payment applied and any remainder referred back for enforcement;
- **refund** the payment to whoever paid it (e.g. paid in error, or by a trustee who should not have).

Only the officer the council refers these to (its `reinstatement_referral_role`) or a write-off officer
decides; each payment is decided once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .reinstatement import Reinstatement, WrittenOffDebt, reinstate_on_payment

WRITE_OFF_OFFICER = "write_off_officer"


class ConsiderationOutcome(StrEnum):
    """What the officer decided for the payment."""

    ACCEPTED = "accepted"
    REINSTATED = "reinstated"
    REFUNDED = "refunded"


@dataclass(frozen=True, slots=True)
class PaymentHeld:
    """A payment awaiting (or given) an officer's consideration, and the write-off it arrived on."""

    payment_pence: int
    received_on: date
    council: str
    written_off: WrittenOffDebt
    decided: bool


@dataclass(frozen=True, slots=True)
class ConsideredPayment:
    """The officer's decision; `reinstatement` is set when the debt is reinstated."""

    outcome: ConsiderationOutcome
    reason: str
    reinstatement: Reinstatement | None


@dataclass(frozen=True, slots=True)
class NotConsidered:
    """Why the decision cannot be made: `status` is 403 (not this officer's), 409 (already decided) or 422."""

    status: int
    reason: str


def roles_that_consider(referral_role: str | None) -> tuple[str, ...]:
    """Who decides a council's payments for consideration: its referral role, and write-off officers."""
    return tuple(role for role in (referral_role, WRITE_OFF_OFFICER) if role)


def consider_payment(
    held: PaymentHeld,
    outcome: ConsiderationOutcome,
    reason: str,
    officer_roles: frozenset[str],
    officer_council: str,
    referral_role: str | None,
) -> ConsideredPayment | NotConsidered:
    """The officer's decision on a held payment, or why it cannot be made."""
    if officer_council != held.council:
        return NotConsidered(403, f"the payment is {held.council}'s to consider, not {officer_council}'s")
    allowed = roles_that_consider(referral_role)
    if officer_roles.isdisjoint(allowed):
        return NotConsidered(403, f"only {' or '.join(allowed)} decides payments put for consideration")
    if held.decided:
        return NotConsidered(409, "this payment has already been decided")
    if not reason.strip():
        return NotConsidered(422, "give the reason for the decision: it is kept with the write-off's record")
    reinstatement = None
    if outcome is ConsiderationOutcome.REINSTATED:
        reinstatement = reinstate_on_payment(
            held.written_off, held.payment_pence, held.received_on, referral_role
        )
    return ConsideredPayment(outcome, reason.strip(), reinstatement)
