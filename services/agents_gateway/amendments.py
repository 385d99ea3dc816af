"""Amendments: a placed debt's balance changed, or the council itself received a payment on it.

The agent must collect the right sum, so each change to a debt the agent holds becomes an amendment in the next
file. A placement not yet sent simply carries the new balance. Payments billing posted through the agent channel
are the agent's own collections: no amendment, but they are kept to reconcile against what agents report.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.amendments import placed_balance_amendments
from services.agents_gateway.domain.records import Amendment, AmendmentReason
from services.agents_gateway.gateway import runtime
from services.agents_gateway.instructions import (
    Instruction,
    add_instruction,
    add_instructions,
    open_placements,
)
from shared.contracts.billing import BalanceChanged, PaymentAllocated
from shared.contracts.envelope import Envelope

AGENT_CHANNEL = "agent"

_SET_BALANCE = text("UPDATE placement SET balance_pence = :balance WHERE referral_id = :referral_id")
_SET_BALANCES = text(
    "UPDATE placement p SET balance_pence = u.balance "
    "FROM unnest(CAST(:referral_ids AS uuid[]), CAST(:balances AS bigint[])) AS u(referral_id, balance) "
    "WHERE p.referral_id = u.referral_id"
)
_POSTED = text(
    "INSERT INTO posted_agent_payment (payment_id, debt_id, channel_reference, amount_pence, received_on) "
    "VALUES (:payment_id, :debt_id, :reference, :amount, :received_on) ON CONFLICT DO NOTHING"
)


@runtime.inbox.handles_batch(BalanceChanged)
async def amend_placed_balances(session: AsyncSession, batch: list[tuple[BalanceChanged, Envelope]]) -> None:
    """Tell agents of balance changes on debts they hold (payments are told by `note_payment`), many changes at
    a time: balance changes are billing's busiest events, and most concern debts no agent holds."""
    changes = [change for change, _ in batch]
    placements_by_debt: dict[UUID, list[Any]] = defaultdict(list)
    for placement in await open_placements(session, list({change.debt_id for change in changes})):
        placements_by_debt[placement.debt_id].append(placement)
    if not placements_by_debt:
        return
    placed = placed_balance_amendments(changes, placements_by_debt)
    await session.execute(
        _SET_BALANCES,
        {"referral_ids": list(placed.balances), "balances": list(placed.balances.values())},
    )
    await add_instructions(
        session,
        [
            Instruction(agent_code, referral_id, amendment, urgent=False)
            for agent_code, referral_id, amendment in placed.amendments
        ],
    )


@runtime.inbox.handles(PaymentAllocated)
async def note_payment(session: AsyncSession, payment: PaymentAllocated, envelope: Envelope) -> None:
    """A payment on a placed debt: the agent's own collection is kept for reconciliation; a payment that
    reached the council directly is an amendment telling the agent the balance fell."""
    for allocation in payment.allocations:
        if payment.channel == AGENT_CHANNEL:
            await session.execute(
                _POSTED,
                {
                    "payment_id": payment.payment_id,
                    "debt_id": allocation.debt_id,
                    "reference": payment.channel_reference,
                    "amount": allocation.amount_pence,
                    "received_on": payment.received_on,
                },
            )
        if allocation.amount_pence <= 0:
            continue
        for placement in await open_placements(session, [allocation.debt_id]):
            new_balance = max(0, placement.balance_pence - allocation.amount_pence)
            await session.execute(
                _SET_BALANCE, {"balance": new_balance, "referral_id": placement.referral_id}
            )
            if payment.channel == AGENT_CHANNEL or placement.status == "awaiting_file":
                continue
            await add_instruction(
                session,
                placement.agent_code,
                placement.referral_id,
                Amendment(
                    case_reference=placement.case_reference,
                    debt_reference=str(allocation.debt_id),
                    amended_on=payment.received_on,
                    reason=AmendmentReason.PAYMENT_RECEIVED_BY_COUNCIL,
                    change_pence=-allocation.amount_pence,
                    new_balance_pence=new_balance,
                ),
                urgent=False,
            )
