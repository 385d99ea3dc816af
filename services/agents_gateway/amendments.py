"""Amendments: a placed debt's balance changed, or the council itself received a payment on it.

The agent must collect the right sum, so each change to a debt the agent holds becomes an amendment in the next
file (`domain/amendments.py`: the rules, including a payment and its balance change lowering the balance once in
whichever order they come). A placement not yet sent simply carries the new balance. Payments billing posted
through the agent channel are the agent's own collections: no amendment, but they are kept to reconcile against
what agents report. Both handlers take a batch of events at a time and write it set-based.
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from services.agents_gateway.domain.amendments import (
    AGENT_CHANNEL,
    PlacedBalances,
    placed_balance_amendments,
    placed_payments,
)
from services.agents_gateway.gateway_service import GatewayHandling, gateway_router
from services.agents_gateway.stores.agent_returns import PaymentPosted
from services.agents_gateway.stores.instructions import Instruction
from services.agents_gateway.stores.placements import OpenPlacement
from shared.contracts.billing import BalancesChanged, PaymentAllocated, each_balance_change
from shared.contracts.envelope import Envelope

router = gateway_router()


async def _open_placements_by_debt(
    handling: GatewayHandling, debt_ids: set[UUID]
) -> dict[UUID, list[OpenPlacement]]:
    placements_by_debt: dict[UUID, list[OpenPlacement]] = defaultdict(list)
    if debt_ids:
        for placement in await handling.stores.placements.open_of_debts(list(debt_ids)):
            placements_by_debt[placement.debt_id].append(placement)
    return placements_by_debt


async def _record(handling: GatewayHandling, placed: PlacedBalances) -> None:
    """The placements' new balances in one statement, and the amendments for the agents' next files."""
    stores = handling.stores
    await stores.placements.set_balances(placed.balances, placed.payments_ahead)
    if placed.amendments:
        await stores.instructions.add(
            [
                Instruction(agent_code, referral_id, amendment, urgent=False)
                for agent_code, referral_id, amendment in placed.amendments
            ]
        )


@router.handles_batch(BalancesChanged)
async def amend_placed_balances(
    statements: list[tuple[BalancesChanged, Envelope]], handling: GatewayHandling
) -> None:
    """Tell agents of balance changes on debts they hold (payments are told by `note_payments`), many changes at
    a time: balance changes are billing's busiest events (stated many to a message), and most concern debts no
    agent holds."""
    changes = [change for change, _ in each_balance_change(statements)]
    placements_by_debt = await _open_placements_by_debt(handling, {change.debt_id for change in changes})
    if placements_by_debt:
        await _record(handling, placed_balance_amendments(changes, placements_by_debt))


@router.handles_batch(PaymentAllocated)
async def note_payments(batch: list[tuple[PaymentAllocated, Envelope]], handling: GatewayHandling) -> None:
    """Payments on placed debts, many at a time (an agent's payment file comes back from billing as one payment
    each): the agent's own collections are kept for reconciliation; a payment that reached the council directly
    is an amendment telling the agent the balance fell. One statement per store for the whole batch."""
    payments = [payment for payment, _ in batch]
    posted = [
        PaymentPosted(
            payment_id=payment.payment_id,
            debt_id=allocation.debt_id,
            channel_reference=payment.channel_reference,
            amount_pence=allocation.amount_pence,
            received_on=payment.received_on,
        )
        for payment in payments
        if payment.channel == AGENT_CHANNEL
        for allocation in payment.allocations
    ]
    if posted:
        await handling.stores.agent_returns.record_posted(posted)
    placements_by_debt = await _open_placements_by_debt(
        handling,
        {a.debt_id for payment in payments for a in payment.allocations if a.amount_pence > 0},
    )
    if placements_by_debt:
        await _record(handling, placed_payments(payments, placements_by_debt))
