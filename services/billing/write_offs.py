"""Write-off postings and reinstatement (Derby App.1 §12), on the write-off service's decisions.

An approved write-off is posted against the income code the debt was raised to. The customer stays liable:
money arriving afterwards is held (see payments) until the write-off service reinstates the written-off amount,
when the held payment is applied to it and the unpaid remainder goes back to recovery.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    DebtAccount,
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


@runtime.inbox.handles_batch(WriteOffApproved)
async def post_approved_write_offs(
    session: AsyncSession, deliveries: list[tuple[WriteOffApproved, Envelope]]
) -> None:
    """Post each approved amount (never more than is outstanding: money may have arrived since the request)
    against the debt's income code; a debt written off in full is closed as written off. A signed schedule
    arrives as thousands of lines at once, so a batch is posted in a handful of set-based statements."""
    loaded = await accounts(session, sorted({approved.debt_id for approved, _ in deliveries}))
    for approved, _ in deliveries:
        if approved.debt_id not in loaded:
            # The whole batch fails; the inbox then retries each line alone and dead-letters only this one.
            raise UnknownDebt(f"write-off {approved.write_off_id} is for unknown debt {approved.debt_id}")
    already_posted = set(
        (
            await session.execute(
                text("SELECT write_off_id FROM write_off WHERE write_off_id = ANY(CAST(:ids AS uuid[]))"),
                {"ids": [approved.write_off_id for approved, _ in deliveries]},
            )
        ).scalars()
    )
    ledger = WriteOffLedger(loaded)
    for approved, envelope in deliveries:
        if approved.write_off_id in already_posted:
            log.info("write-off already posted; nothing more to do", write_off_id=str(approved.write_off_id))
            continue
        already_posted.add(approved.write_off_id)
        ledger.post(approved, envelope)
    await ledger.write(session)


class WriteOffLedger:
    """The write-offs of one batch, worked out against the debts as the batch leaves them (two lines for one
    debt see each other) and written together."""

    def __init__(self, loaded: dict[UUID, DebtAccount]) -> None:
        self.accounts = dict(loaded)
        self.movements: list[Movement] = []
        self.recorded: list[tuple[WriteOffApproved, int]] = []
        self.events: list[tuple[Contract, Envelope]] = []

    def post(self, approved: WriteOffApproved, envelope: Envelope) -> None:
        account = self.accounts[approved.debt_id]
        outstanding = account.position.outstanding_pence
        amount = min(approved.amount_pence, outstanding)
        if amount <= 0:
            log.warning("write-off approved for a debt with nothing outstanding; nothing posted")
            self.recorded.append((approved, 0))
            return
        write_off = post_write_off(
            str(account.debt_id), account.income_code, outstanding, amount, approved.reason_code
        )
        reductions = reductions_latest_first(account.position, write_off.amount_pence)
        self.movements.append(
            Movement(
                posting(account.debt_id, PostingKind.WRITE_OFF, write_off.amount_pence),
                approved.approved_on,
                str(approved.write_off_id),
                tuple((r.number, -r.amount_pence) for r in reductions),
            )
        )
        taken = {r.number: r.amount_pence for r in reductions}
        balance = account.balance_pence - write_off.amount_pence
        self.accounts[approved.debt_id] = replace(
            account,
            balance_pence=balance,
            written_off_pence=account.written_off_pence + write_off.amount_pence,
            status="written_off" if balance == 0 else account.status,
            lines=tuple(
                replace(line, outstanding_pence=line.outstanding_pence - taken.get(line.number, 0))
                for line in account.lines
                if line.outstanding_pence - taken.get(line.number, 0) > 0
            ),
        )
        self.recorded.append((approved, write_off.amount_pence))
        caused: list[Contract] = [
            DebtWrittenOff(
                debt_id=account.debt_id,
                write_off_id=approved.write_off_id,
                amount_pence=write_off.amount_pence,
                income_code=write_off.income_code,
                written_off_on=approved.approved_on,
            ),
            *balance_events(account, balance, -write_off.amount_pence, "write_off", approved.approved_on),
        ]
        self.events += [(event, envelope) for event in caused]

    async def write(self, session: AsyncSession) -> None:
        await post_movements(session, self.movements)
        written_off: dict[UUID, int] = {}
        for movement in self.movements:
            debt_id = UUID(movement.posting.debt_id)
            written_off[debt_id] = written_off.get(debt_id, 0) + movement.posting.amount_pence
        if written_off:
            # Increments, and the status from the balance the postings just left: a payment committed
            # meanwhile by another transaction is neither lost nor overwritten.
            await session.execute(
                text(
                    "UPDATE debt d SET written_off_pence = d.written_off_pence + w.amount, "
                    "status = CASE WHEN d.balance_pence = 0 THEN 'written_off' ELSE d.status END "
                    "FROM unnest(CAST(:debts AS uuid[]), CAST(:amounts AS bigint[])) AS w(debt_id, amount) "
                    "WHERE d.debt_id = w.debt_id"
                ),
                {"debts": list(written_off), "amounts": list(written_off.values())},
            )
        if self.recorded:
            await session.execute(
                text(
                    "INSERT INTO write_off (write_off_id, debt_id, approved_pence, posted_pence, income_code, "
                    "reason_code, approved_by, written_off_on) "
                    "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:debts AS uuid[]), "
                    "CAST(:approved AS bigint[]), CAST(:posted AS bigint[]), CAST(:income_codes AS text[]), "
                    "CAST(:reasons AS text[]), CAST(:approved_by AS text[]), CAST(:dates AS date[])) "
                    "ON CONFLICT (write_off_id) DO NOTHING"
                ),
                {
                    "ids": [a.write_off_id for a, _ in self.recorded],
                    "debts": [a.debt_id for a, _ in self.recorded],
                    "approved": [a.amount_pence for a, _ in self.recorded],
                    "posted": [posted for _, posted in self.recorded],
                    "income_codes": [a.income_code for a, _ in self.recorded],
                    "reasons": [a.reason_code for a, _ in self.recorded],
                    "approved_by": [a.approved_by for a, _ in self.recorded],
                    "dates": [a.approved_on for a, _ in self.recorded],
                },
            )
        await runtime.outbox.add_caused(session, self.events)


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
