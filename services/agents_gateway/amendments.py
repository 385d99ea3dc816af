"""Amendments: a placed debt's balance changed, or the council itself received a payment on it.

The agent must collect the right sum, so each change to a debt the agent holds becomes an amendment in the next
file. A placement not yet sent simply carries the new balance. Payments billing posted through the agent channel
are the agent's own collections: no amendment, but they are kept to reconcile against what agents report.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.records import Amendment, AmendmentReason
from services.agents_gateway.gateway import runtime
from services.agents_gateway.instructions import add_instruction, open_placements
from shared.contracts.billing import BalanceChanged, PaymentAllocated
from shared.contracts.envelope import Envelope

AGENT_CHANNEL = "agent"

_SET_BALANCE = text("UPDATE placement SET balance_pence = :balance WHERE referral_id = :referral_id")
_POSTED = text(
    "INSERT INTO posted_agent_payment (payment_id, debt_id, channel_reference, amount_pence, received_on) "
    "VALUES (:payment_id, :debt_id, :reference, :amount, :received_on) ON CONFLICT DO NOTHING"
)


@runtime.inbox.handles(BalanceChanged)
async def amend_placed_balance(session: AsyncSession, change: BalanceChanged, envelope: Envelope) -> None:
    """Tell the agent of a balance change on a debt it holds (payments are told by `note_payment`)."""
    for placement in await open_placements(session, [change.debt_id]):
        await session.execute(
            _SET_BALANCE, {"balance": change.balance_pence, "referral_id": placement.referral_id}
        )
        if placement.status == "awaiting_file" or change.cause == "payment" or change.change_pence == 0:
            continue
        await add_instruction(
            session,
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
            urgent=False,
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
