"""Which balance changes and payments an agent must be told of, and the balance each placement now carries.

Billing's balance changes arrive many at a time. Each is read in the order billing sent it: every open placement
of the debt carries the latest balance; an agent already holding the debt gets an amendment for each change that
moved it, except payments (the agent is told of those by the payment's own amendment, or collected it itself).
A placement still waiting for its file carries the new balance and needs no amendment.

Payments on a placed debt (Sundry 8.20: payments on a placed case go to the agent). A payment the council itself
received is told to the agent holding the debt as a `payment_received_by_council` amendment, so the agent neither
collects it twice nor enforces for a sum already paid; the agent's own collections (channel `agent`) are its own
and need no amendment. Billing tells of one payment twice, by `billing.payment.allocated` and by
`billing.balance.changed` (cause payment), on different queues and so in either order. Each placement counts the
payments it has taken off its balance that billing has not yet restated (`payments_ahead_pence`; negative when
billing restated payments the gateway has not seen yet), so the balance falls once whichever comes first:
- a payment of A lowers the balance by whatever part of A billing has not already restated, and adds A;
- a balance change stated by billing as S is S less the payments still ahead of it; a payment change of -X
  takes X off the count first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from uuid import UUID

from services.agents_gateway.domain.records import Amendment, AmendmentReason

AWAITING_FILE = "awaiting_file"
PAYMENT = "payment"


class StatedBalance(Protocol):
    """What billing says of a debt's balance (billing's `BalanceChanged` has these fields)."""

    @property
    def debt_id(self) -> UUID: ...

    @property
    def balance_pence(self) -> int: ...

    @property
    def change_pence(self) -> int: ...

    @property
    def cause(self) -> str: ...

    @property
    def as_of(self) -> date: ...


class OpenPlacement(Protocol):
    """A placement with an agent or about to go to one."""

    @property
    def referral_id(self) -> UUID: ...

    @property
    def balance_pence(self) -> int: ...

    @property
    def payments_ahead_pence(self) -> int: ...

    @property
    def agent_code(self) -> str: ...

    @property
    def case_reference(self) -> str: ...

    @property
    def status(self) -> str: ...


class PaymentOnADebt(Protocol):
    """Part of a payment billing allocated to one debt."""

    @property
    def debt_id(self) -> UUID: ...

    @property
    def amount_pence(self) -> int: ...


class PaymentReceived(Protocol):
    """A payment as billing allocated it (billing's `PaymentAllocated` has these fields)."""

    @property
    def channel(self) -> str: ...

    @property
    def received_on(self) -> date: ...

    @property
    def allocations(self) -> Sequence[PaymentOnADebt]: ...


AGENT_CHANNEL = "agent"
"""Billing's channel for money an agent collected and paid over to the council."""


@dataclass
class PlacedBalances:
    """The balance each placement now carries and its payments not yet restated by billing, and the amendments
    (agent code, referral id, record) to send, in the order the changes came."""

    balances: dict[UUID, int] = field(default_factory=dict)
    payments_ahead: dict[UUID, int] = field(default_factory=dict)
    amendments: list[tuple[str, UUID, Amendment]] = field(default_factory=list)

    def tell_the_agent(
        self,
        placement: OpenPlacement,
        debt_id: UUID,
        amended_on: date,
        reason: AmendmentReason,
        change_pence: int,
    ) -> None:
        """The agent holding the placement is told of a change to its balance with the next file: an amendment
        with the balance the placement now carries (never below 0, what the agent may still collect). A
        placement still waiting for its file carries the new balance in its placement record: no amendment."""
        if placement.status == AWAITING_FILE:
            return
        self.amendments.append(
            (
                placement.agent_code,
                placement.referral_id,
                Amendment(
                    case_reference=placement.case_reference,
                    debt_reference=str(debt_id),
                    amended_on=amended_on,
                    reason=reason,
                    change_pence=change_pence,
                    new_balance_pence=max(0, self.balances[placement.referral_id]),
                ),
            )
        )

    def balance_of(self, placement: OpenPlacement) -> tuple[int, int]:
        """The placement's balance and payments ahead, as changed so far in this batch."""
        return (
            self.balances.get(placement.referral_id, placement.balance_pence),
            self.payments_ahead.get(placement.referral_id, placement.payments_ahead_pence),
        )


def placed_balance_amendments(
    changes: Iterable[StatedBalance], placements_by_debt: Mapping[UUID, Sequence[OpenPlacement]]
) -> PlacedBalances:
    """Apply billing's balance changes, in order, to the open placements of their debts."""
    result = PlacedBalances()
    for change in changes:
        for placement in placements_by_debt.get(change.debt_id, ()):
            _, ahead = result.balance_of(placement)
            if change.cause == PAYMENT and change.change_pence < 0:
                ahead += change.change_pence  # billing now restates this payment
            result.payments_ahead[placement.referral_id] = ahead
            result.balances[placement.referral_id] = change.balance_pence - max(0, ahead)
            if change.cause == PAYMENT or change.change_pence == 0:
                continue  # a payment is told by its own amendment; nothing moved, nothing to tell
            result.tell_the_agent(
                placement, change.debt_id, change.as_of, AmendmentReason.BALANCE_CHANGE, change.change_pence
            )
    return result


def placed_payments(
    payments: Iterable[PaymentReceived], placements_by_debt: Mapping[UUID, Sequence[OpenPlacement]]
) -> PlacedBalances:
    """Apply billing's payments, in order, to the open placements of their debts: each lowers the balance once
    (see the module's note), and a payment the council itself received on a debt an agent holds is an amendment
    telling the agent (not the agent's own collections, nor a placement still waiting for its file)."""
    result = PlacedBalances()
    for payment in payments:
        for allocation in payment.allocations:
            if allocation.amount_pence <= 0:
                continue
            for placement in placements_by_debt.get(allocation.debt_id, ()):
                balance, ahead = result.balance_of(placement)
                already_restated = max(0, -ahead)
                balance -= max(0, allocation.amount_pence - already_restated)
                result.balances[placement.referral_id] = balance
                result.payments_ahead[placement.referral_id] = ahead + allocation.amount_pence
                if payment.channel == AGENT_CHANNEL:
                    continue  # the agent's own collection: it knows
                result.tell_the_agent(
                    placement,
                    allocation.debt_id,
                    payment.received_on,
                    AmendmentReason.PAYMENT_RECEIVED_BY_COUNCIL,
                    -allocation.amount_pence,
                )
    return result
