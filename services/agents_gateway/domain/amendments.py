"""Which balance changes an agent must be told of, and the balance each placement now carries.

Billing's balance changes arrive many at a time. Each is read in the order billing sent it: every open placement
of the debt carries the latest balance; an agent already holding the debt gets an amendment for each change that
moved it, except payments (the agent is told of those by the payment's own amendment, or collected it itself).
A placement still waiting for its file carries the new balance and needs no amendment.
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
    def agent_code(self) -> str: ...

    @property
    def case_reference(self) -> str: ...

    @property
    def status(self) -> str: ...


@dataclass
class PlacedBalances:
    """The balance each placement now carries, and the amendments (agent code, referral id, record) to send, in
    the order the changes came."""

    balances: dict[UUID, int] = field(default_factory=dict)
    amendments: list[tuple[str, UUID, Amendment]] = field(default_factory=list)


def placed_balance_amendments(
    changes: Iterable[StatedBalance], placements_by_debt: Mapping[UUID, Sequence[OpenPlacement]]
) -> PlacedBalances:
    """Apply billing's balance changes, in order, to the open placements of their debts."""
    result = PlacedBalances()
    for change in changes:
        for placement in placements_by_debt.get(change.debt_id, ()):
            result.balances[placement.referral_id] = change.balance_pence
            if placement.status == AWAITING_FILE or change.cause == PAYMENT or change.change_pence == 0:
                continue
            result.amendments.append(
                (
                    placement.agent_code,
                    placement.referral_id,
                    Amendment(
                        case_reference=placement.case_reference,
                        debt_reference=str(change.debt_id),
                        amended_on=change.as_of,
                        reason=AmendmentReason.BALANCE_CHANGE,
                        change_pence=change.change_pence,
                        new_balance_pence=max(0, change.balance_pence),
                    ),
                )
            )
    return result
