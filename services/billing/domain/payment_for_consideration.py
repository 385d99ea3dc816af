"""A payment held on a written-off debt "for consideration" (Derby App.1 §12; issue 19), and what billing does
with it once the write-off officer has decided.

A payment received on a debt written off for a reason that ends lawful enforcement (remitted by the court, formal
insolvency, prison served in lieu, statute barred) is not reinstated: billing holds it against the debt and the
write-off service puts it for an officer's consideration. The officer decides one of three things
(`writeoff.payment_for_consideration.decided`), and billing applies it:

- **accepted**: a voluntary payment on a debt the council may no longer enforce. The write-off stands and
  nothing is referred for enforcement, but what the payment covers is recovered: that much of the write-off is
  written back and paid by the payment, so the debt stays at nil and closed as written off. Money beyond what
  is still written off is an overpayment, offset or refunded as any other (Derby 11; reg 31 for council tax
  and rates).
- **reinstated**: the write-off was wrong (a bankruptcy annulled, a remission set aside). The write-off service
  announces the reinstatement itself (`writeoff.write_off.reinstated`); billing applies the held payment then,
  as for any reinstatement. The decision alone moves no money, whichever of the two arrives first.
- **refunded**: the payment goes back, whole, to whoever paid it (paid in error, or by a trustee who should not
  have). The officer's decision stands in place of the rule that nothing is refunded while the customer owes
  the council something else (Derby 11): the money was never the council's to keep.

A decision is applied once per payment; a decision for a payment billing no longer holds (a reinstatement
already applied it) is recorded and moves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.money import Pence


class Outcome(StrEnum):
    """The officer's decision, in the write-off service's words."""

    ACCEPTED = "accepted"
    REINSTATED = "reinstated"
    REFUNDED = "refunded"


RULE_ACCEPTED = (
    "Derby App.1 §12 for consideration, accepted: a voluntary payment on a debt that cannot lawfully be enforced; "
    "the write-off stands, what the payment covers is written back and paid, nothing is referred for enforcement"
)
RULE_REINSTATED = (
    "Derby App.1 §12 for consideration, reinstated: the write-off is reversed by the write-off service's "
    "reinstatement, which applies the held payment"
)
RULE_REFUNDED = (
    "Derby App.1 §12 for consideration, refunded: the held payment is repaid whole to whoever paid it, on the "
    "officer's decision"
)
RULE_NOT_HELD = (
    "Derby App.1 §12 for consideration: the payment is no longer held on the debt (a reinstatement applied it), "
    "so the decision moves no money"
)


@dataclass(frozen=True)
class ConsideredPayment:
    """What billing does with a held payment on the officer's decision.

    `recovered_pence` of the write-off is written back onto the debt and paid by the payment; `overpaid_pence`
    is the rest of an accepted payment, to be offset or refunded as an overpayment; `refund_pence` is repaid to
    the payer on the officer's decision. `awaits_reinstatement`: the money moves when the reinstatement is
    applied, not now. `rule` is what is recorded with the decision."""

    outcome: Outcome
    recovered_pence: Pence
    overpaid_pence: Pence
    refund_pence: Pence
    awaits_reinstatement: bool
    rule: str

    @property
    def moves_money(self) -> bool:
        """True when the decision itself changes a balance or makes a refund due."""
        return bool(self.recovered_pence or self.overpaid_pence or self.refund_pence)


class UnknownOutcome(ValueError):
    """The decision names an outcome billing does not know: dead-lettered with this reason."""


def apply_considered_payment(
    outcome: str, held_pence: Pence | None, written_off_pence: Pence
) -> ConsideredPayment:
    """What to do with a held payment of `held_pence` (None: billing no longer holds it) on a debt with
    `written_off_pence` still written off, on the officer's `outcome`."""
    try:
        decided = Outcome(outcome)
    except ValueError:
        raise UnknownOutcome(
            f"a payment for consideration decided {outcome!r}: only accepted, reinstated or refunded are known"
        ) from None
    if written_off_pence < 0:
        raise ValueError("a debt cannot have less than nil written off")
    if held_pence is None:
        return ConsideredPayment(decided, 0, 0, 0, False, RULE_NOT_HELD)
    if held_pence <= 0:
        raise ValueError("a held payment is for more than nil")
    if decided is Outcome.REINSTATED:
        return ConsideredPayment(decided, 0, 0, 0, True, RULE_REINSTATED)
    if decided is Outcome.REFUNDED:
        return ConsideredPayment(decided, 0, 0, held_pence, False, RULE_REFUNDED)
    recovered = min(held_pence, written_off_pence)
    return ConsideredPayment(decided, recovered, held_pence - recovered, 0, False, RULE_ACCEPTED)
