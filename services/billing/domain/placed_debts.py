"""Money the council itself receives for a customer with debts placed with an agent (Sundry 8.20: once a case is
passed to the agent, payments on it are made to the agent).

A council payment that does not name a placed debt (not directed to it, not paid into its account or invoice)
goes first to the customer's other debts; only what they cannot take reaches the placed debts, rather than being
refunded while the customer still owes. A payment that does name a placed debt is applied to it: the money is
the council's already. Either way, every amount a council payment puts on a placed debt is reported, so the agent
neither collects it again nor enforces for it. An agent's own collection is the agent's: nothing to report.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from services.billing.domain.allocation import Allocation

AGENT_CHANNEL = "agent"


@dataclass(frozen=True)
class CouncilPaymentReach:
    """The debts a council payment is allocated to first, and those it reaches only with what is left."""

    first: list[str]
    then: list[str]


def reach_of_council_payment(
    channel: str, owed: Sequence[str], named: Collection[str], placed: Collection[str]
) -> CouncilPaymentReach:
    """Split the owed debts (ids) for a payment on `channel` naming `named`: placed debts it does not name come
    last. An agent's collection, or a customer with nothing placed, reaches every debt at once."""
    if channel == AGENT_CHANNEL or not placed:
        return CouncilPaymentReach(list(owed), [])
    later = [d for d in owed if d in placed and d not in named]
    return CouncilPaymentReach([d for d in owed if d not in later], later)


def paid_to_placed_debts(
    channel: str, allocations: Sequence[Allocation], placed: Collection[str]
) -> dict[str, int]:
    """What a council payment put on each placed debt, to report for the agent (nothing for the agent's own)."""
    if channel == AGENT_CHANNEL:
        return {}
    reported: dict[str, int] = {}
    for allocation in allocations:
        if allocation.debt_id in placed:
            reported[allocation.debt_id] = reported.get(allocation.debt_id, 0) + allocation.amount_pence
    return reported
