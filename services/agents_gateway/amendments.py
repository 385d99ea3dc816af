"""Amendments: a placed debt's balance changed, or the council itself received a payment on it.

The agent must collect the right sum, so each change to a debt the agent holds becomes an amendment in the next
file. A placement not yet sent simply carries the new balance. Payments billing posted through the agent channel
are the agent's own collections: no amendment, but they are kept to reconcile against what agents report.
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from services.agents_gateway.domain.amendments import placed_balance_amendments
from services.agents_gateway.domain.records import Amendment, AmendmentReason
from services.agents_gateway.gateway_service import GatewayHandling, gateway_router
from services.agents_gateway.stores.agent_returns import PaymentPosted
from services.agents_gateway.stores.instructions import Instruction
from services.agents_gateway.stores.placements import OpenPlacement
from shared.contracts.billing import BalanceChanged, PaymentAllocated
from shared.contracts.envelope import Envelope

AGENT_CHANNEL = "agent"

router = gateway_router()


@router.handles_batch(BalanceChanged)
async def amend_placed_balances(
    batch: list[tuple[BalanceChanged, Envelope]], handling: GatewayHandling
) -> None:
    """Tell agents of balance changes on debts they hold (payments are told by `note_payment`), many changes at
    a time: balance changes are billing's busiest events, and most concern debts no agent holds."""
    stores = handling.stores
    changes = [change for change, _ in batch]
    placements_by_debt: dict[UUID, list[OpenPlacement]] = defaultdict(list)
    for placement in await stores.placements.open_of_debts(list({change.debt_id for change in changes})):
        placements_by_debt[placement.debt_id].append(placement)
    if not placements_by_debt:
        return
    placed = placed_balance_amendments(changes, placements_by_debt)
    await stores.placements.set_balances(placed.balances)
    await stores.instructions.add(
        [
            Instruction(agent_code, referral_id, amendment, urgent=False)
            for agent_code, referral_id, amendment in placed.amendments
        ]
    )


def payment_amendment(
    payment: PaymentAllocated, placement: OpenPlacement, amount_pence: int, new_balance_pence: int
) -> Amendment:
    """The amendment telling an agent that the council itself received a payment on the debt."""
    return Amendment(
        case_reference=placement.case_reference,
        debt_reference=str(placement.debt_id),
        amended_on=payment.received_on,
        reason=AmendmentReason.PAYMENT_RECEIVED_BY_COUNCIL,
        change_pence=-amount_pence,
        new_balance_pence=new_balance_pence,
    )


@router.handles(PaymentAllocated)
async def note_payment(payment: PaymentAllocated, handling: GatewayHandling) -> None:
    """A payment on a placed debt: the agent's own collection is kept for reconciliation; a payment that
    reached the council directly is an amendment telling the agent the balance fell."""
    stores = handling.stores
    by_the_agent = payment.channel == AGENT_CHANNEL
    for allocation in payment.allocations:
        if by_the_agent:
            await stores.agent_returns.record_posted(
                PaymentPosted(
                    payment_id=payment.payment_id,
                    debt_id=allocation.debt_id,
                    channel_reference=payment.channel_reference,
                    amount_pence=allocation.amount_pence,
                    received_on=payment.received_on,
                )
            )
        if allocation.amount_pence <= 0:
            continue
        for placement in await stores.placements.open_of_debts([allocation.debt_id]):
            new_balance = max(0, placement.balance_pence - allocation.amount_pence)
            await stores.placements.set_balance(placement.referral_id, new_balance)
            if by_the_agent or placement.status == "awaiting_file":
                continue
            await stores.instructions.add(
                [
                    Instruction(
                        placement.agent_code,
                        placement.referral_id,
                        payment_amendment(payment, placement, allocation.amount_pence, new_balance),
                        urgent=False,
                    )
                ]
            )
