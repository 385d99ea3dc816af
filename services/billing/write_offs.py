"""Write-off postings and reinstatement (Derby App.1 §12), on the write-off service's decisions.

An approved write-off is posted against the income code the debt was raised to. The customer stays liable:
money arriving afterwards is held (see payments) until the write-off service reinstates the written-off amount,
when the held payment is applied to it and the unpaid remainder goes back to recovery.
"""

from __future__ import annotations

from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    Movement,
    accounts,
    accounts_of_customer,
    add_line,
    balance_events,
    post_movements,
    posting,
)
from services.billing.domain.allocation import CustomerDirection, allocate_payment
from services.billing.domain.balances import PostingKind
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.domain.write_off import post_write_off
from services.billing.payments import apply_to_debts, refund_due
from services.billing.service import rules, runtime
from shared.clock import clock
from shared.contracts.billing import DebtReinstated, DebtWrittenOff, PaymentAllocated, PaymentAllocation
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.writeoff import WriteOffApproved, WriteOffReinstated

log = structlog.get_logger("billing.write_offs")


class UnknownDebt(LookupError):
    """A message names a debt billing has never raised: dead-lettered with this reason for an operator."""


@runtime.inbox.handles(WriteOffApproved)
async def post_approved_write_off(
    session: AsyncSession, approved: WriteOffApproved, envelope: Envelope
) -> None:
    """Post the approved amount (never more than is outstanding: money may have arrived since the request)
    against the debt's income code; a debt written off in full is closed as written off."""
    account = (await accounts(session, [approved.debt_id])).get(approved.debt_id)
    if account is None:
        raise UnknownDebt(f"write-off {approved.write_off_id} is for unknown debt {approved.debt_id}")
    outstanding = account.position.outstanding_pence
    amount = min(approved.amount_pence, outstanding)
    if amount <= 0:
        log.warning("write-off approved for a debt with nothing outstanding; nothing posted")
        await _record_write_off(session, approved, 0)
        return
    write_off = post_write_off(
        str(account.debt_id), account.income_code, outstanding, amount, approved.reason_code
    )
    reductions = reductions_latest_first(account.position, write_off.amount_pence)
    balances = await post_movements(
        session,
        [
            Movement(
                posting(account.debt_id, PostingKind.WRITE_OFF, write_off.amount_pence),
                approved.approved_on,
                str(approved.write_off_id),
                tuple((r.number, -r.amount_pence) for r in reductions),
            )
        ],
    )
    balance = balances[account.debt_id]
    await session.execute(
        text(
            "UPDATE debt SET written_off_pence = written_off_pence + :amount, "
            "status = CASE WHEN :balance = 0 THEN 'written_off' ELSE status END WHERE debt_id = :debt_id"
        ),
        {"amount": write_off.amount_pence, "balance": balance, "debt_id": account.debt_id},
    )
    await _record_write_off(session, approved, write_off.amount_pence)
    events: list[Contract] = [
        DebtWrittenOff(
            debt_id=account.debt_id,
            write_off_id=approved.write_off_id,
            amount_pence=write_off.amount_pence,
            income_code=write_off.income_code,
            written_off_on=approved.approved_on,
        ),
        *balance_events(account, balance, -write_off.amount_pence, "write_off", approved.approved_on),
    ]
    await runtime.outbox.add_all(session, events, causation=envelope)


async def _record_write_off(session: AsyncSession, approved: WriteOffApproved, posted: int) -> None:
    await session.execute(
        text(
            "INSERT INTO write_off (write_off_id, debt_id, approved_pence, posted_pence, income_code, reason_code, "
            "approved_by, written_off_on) VALUES (:id, :debt_id, :approved, :posted, :income_code, :reason, "
            ":approved_by, :on) ON CONFLICT (write_off_id) DO NOTHING"
        ),
        {
            "id": approved.write_off_id,
            "debt_id": approved.debt_id,
            "approved": approved.amount_pence,
            "posted": posted,
            "income_code": approved.income_code,
            "reason": approved.reason_code,
            "approved_by": approved.approved_by,
            "on": approved.approved_on,
        },
    )


@runtime.inbox.handles(WriteOffReinstated)
async def reinstate_written_off_debt(
    session: AsyncSession, reinstated: WriteOffReinstated, envelope: Envelope
) -> None:
    """Reinstate the written-off amount (never more than is still written off) and apply the payments held
    for the debt: the balance is then what was written off less what was paid."""
    account = (await accounts(session, [reinstated.debt_id])).get(reinstated.debt_id)
    if account is None:
        raise UnknownDebt(f"reinstatement {reinstated.write_off_id} is for unknown debt {reinstated.debt_id}")
    amount = min(reinstated.reinstated_pence, account.written_off_pence)
    on = reinstated.reinstated_on
    events: list[Contract] = []
    if amount > 0:
        await add_line(session, account.debt_id, "reinstatement", on, amount)
        balances = await post_movements(
            session,
            [
                Movement(
                    posting(account.debt_id, PostingKind.WRITE_OFF_REVERSAL, amount),
                    on,
                    str(reinstated.write_off_id),
                )
            ],
        )
        await session.execute(
            text(
                "UPDATE debt SET written_off_pence = written_off_pence - :amount, status = 'open' "
                "WHERE debt_id = :debt_id"
            ),
            {"amount": amount, "debt_id": account.debt_id},
        )
        await session.execute(
            text(
                "UPDATE write_off SET reinstated_pence = reinstated_pence + :amount WHERE write_off_id = :id"
            ),
            {"amount": amount, "id": reinstated.write_off_id},
        )
        events += [
            DebtReinstated(
                debt_id=account.debt_id,
                write_off_id=reinstated.write_off_id,
                reinstated_pence=amount,
                reinstated_on=on,
            ),
            *balance_events(account, balances[account.debt_id], amount, "reinstatement", on),
        ]
    events += await _apply_held_payments(session, account.debt_id, on)
    await runtime.outbox.add_all(session, events, causation=envelope)


async def _apply_held_payments(session: AsyncSession, debt_id: UUID, on) -> list[Contract]:  # type: ignore[no-untyped-def]
    held = (
        await session.execute(
            text(
                "UPDATE payment SET status = 'allocated' WHERE debt_id = :debt_id "
                "AND status = 'held_on_written_off_debt' "
                "RETURNING payment_id, customer_id, channel, channel_reference, amount_pence, received_on"
            ),
            {"debt_id": debt_id},
        )
    ).all()
    events: list[Contract] = []
    for payment in held:
        # Directed to the reinstated debt first; anything beyond it goes down the hierarchy of the customer's
        # other debts, and only a true surplus is refunded.
        customer_debts = (
            await accounts_of_customer(session, payment.customer_id)
            if payment.customer_id
            else list((await accounts(session, [debt_id])).values())
        )
        by_id = {a.debt_id: a for a in customer_debts}
        owed = [a for a in customer_debts if a.is_open and a.lines]
        allocation = allocate_payment(
            payment.amount_pence,
            [a.position for a in owed],
            payment.received_on,
            [CustomerDirection(str(debt_id))],
            rules,
        )
        rows = [
            (UUID(a.debt_id), a.instalment_number, a.amount_pence, a.basis.value)
            for a in allocation.allocations
        ]
        await session.execute(
            text(
                "INSERT INTO allocation (payment_id, debt_id, line_number, amount_pence, basis) "
                "SELECT :payment_id, d, n, a, b FROM unnest(CAST(:debts AS uuid[]), CAST(:lines AS int[]), "
                "CAST(:amounts AS bigint[]), CAST(:bases AS text[])) AS x(d, n, a, b)"
            ),
            {
                "payment_id": payment.payment_id,
                "debts": [r[0] for r in rows],
                "lines": [r[1] for r in rows],
                "amounts": [r[2] for r in rows],
                "bases": [r[3] for r in rows],
            },
        )
        await session.execute(
            text("UPDATE payment SET unallocated_pence = :left WHERE payment_id = :id"),
            {"left": allocation.unallocated_pence, "id": payment.payment_id},
        )
        events.append(
            PaymentAllocated(
                payment_id=payment.payment_id,
                customer_id=payment.customer_id,
                channel=payment.channel,
                channel_reference=payment.channel_reference,
                amount_pence=payment.amount_pence,
                received_on=payment.received_on,
                allocations=[
                    PaymentAllocation(debt_id=d, instalment_number=n, amount_pence=a) for d, n, a, _ in rows
                ],
                unallocated_pence=allocation.unallocated_pence,
            )
        )
        events += await apply_to_debts(session, rows, by_id, PostingKind.PAYMENT, on, str(payment.payment_id))
        if allocation.unallocated_pence:
            events += await refund_due(
                session, payment.customer_id, payment.payment_id, allocation.unallocated_pence, clock.today()
            )
    return events
