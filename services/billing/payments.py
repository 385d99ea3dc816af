"""Money in: council channels (direct debit, card, bank transfer, cash, PayPoint) and enforcement agents.

The same channel reference is applied once (a unique constraint, checked first so a resend publishes nothing).
Allocation is the domain's: the customer's direction (or the account paid into), else an exact instalment
match, else the debt hierarchy with the current financial year first. What is left once everything owed is
paid is the true surplus: a refund is due. Money for a written-off debt is held, and the write-off service is
told; its reinstatement applies it (see write_offs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    DebtAccount,
    Movement,
    accounts_of_customer,
    balance_events,
    post_movements,
    posting,
)
from services.billing.domain.allocation import CustomerDirection, allocate_payment
from services.billing.domain.balances import PostingKind
from services.billing.domain.overpayment import settle_overpayment
from services.billing.service import rules, runtime
from shared.contracts.agents_gateway import PaymentCollectedByAgent
from shared.contracts.billing import (
    PaymentAllocated,
    PaymentAllocation,
    PaymentReceivedOnWrittenOffDebt,
    RefundDue,
)
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Contract, Envelope
from shared.money import Pence

log = structlog.get_logger("billing.payments")


@dataclass(frozen=True)
class IncomingPayment:
    """A payment as any channel reports it."""

    channel: str
    channel_reference: str
    amount_pence: Pence
    received_on: date
    customer_id: UUID | None = None
    account_reference: str | None = None
    directed_to: tuple[UUID, ...] = ()
    debt_id: UUID | None = None  # an agent's collection is for one placed debt


_IDENTIFY = text(
    """
    SELECT EXISTS (SELECT 1 FROM payment WHERE channel = :channel AND channel_reference = :reference) AS seen,
        coalesce(
            (SELECT coalesce(merged_into, customer_id) FROM customer WHERE customer_id = CAST(:customer_id AS uuid)),
            (SELECT customer_id FROM debt_party WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))
             ORDER BY customer_id LIMIT 1),
            (SELECT p.customer_id FROM debt d JOIN debt_party p ON p.debt_id = d.debt_id
             WHERE d.account_reference = :account OR d.external_reference = :account
             ORDER BY d.raised_on DESC, p.customer_id LIMIT 1)
        ) AS customer_id
    """
)

_RECORD = text(
    """
    WITH paid AS (
        INSERT INTO payment (payment_id, channel, channel_reference, amount_pence, received_on, customer_id,
                             debt_id, account_reference, status, unallocated_pence)
        VALUES (:payment_id, :channel, :reference, :amount, :received_on, :customer_id, :debt_id, :account,
                :status, :unallocated)
        RETURNING payment_id)
    INSERT INTO allocation (payment_id, debt_id, line_number, amount_pence, basis)
    SELECT (SELECT payment_id FROM paid), debt_id, line_number, amount, basis
    FROM unnest(CAST(:debts AS uuid[]), CAST(:lines AS int[]), CAST(:amounts AS bigint[]), CAST(:bases AS text[]))
        AS a(debt_id, line_number, amount, basis)
    """
)


async def _record_payment(
    session: AsyncSession,
    payment_id: UUID,
    payment: IncomingPayment,
    customer_id: UUID | None,
    status: str,
    unallocated: Pence,
    allocations: list[tuple[UUID, int, Pence, str]] = (),  # type: ignore[assignment]
) -> None:
    await session.execute(
        _RECORD,
        {
            "payment_id": payment_id,
            "channel": payment.channel,
            "reference": payment.channel_reference,
            "amount": payment.amount_pence,
            "received_on": payment.received_on,
            "customer_id": customer_id,
            "debt_id": payment.debt_id,
            "account": payment.account_reference,
            "status": status,
            "unallocated": unallocated,
            "debts": [a[0] for a in allocations],
            "lines": [a[1] for a in allocations],
            "amounts": [a[2] for a in allocations],
            "bases": [a[3] for a in allocations],
        },
    )


def _directions(payment: IncomingPayment, owed: list[DebtAccount]) -> list[CustomerDirection]:
    """Where the customer sent the money: the debts named, else the account paid into."""
    named = list(payment.directed_to) or ([payment.debt_id] if payment.debt_id else [])
    if named:
        return [CustomerDirection(str(debt_id)) for debt_id in named]
    if payment.account_reference:
        return [
            CustomerDirection(str(a.debt_id))
            for a in owed
            if payment.account_reference in (a.account_reference, a.external_reference)
        ]
    return []


async def post_payment(session: AsyncSession, payment: IncomingPayment, envelope: Envelope) -> None:
    """Apply a payment once: hold it for a written-off debt, or allocate it and publish what moved."""
    named = list(payment.directed_to) or ([payment.debt_id] if payment.debt_id else [])
    found = (
        await session.execute(
            _IDENTIFY,
            {
                "channel": payment.channel,
                "reference": payment.channel_reference,
                "customer_id": payment.customer_id,
                "debt_ids": named,
                "account": payment.account_reference,
            },
        )
    ).one()
    if found.seen:
        log.info("payment already applied; nothing more to do", channel=payment.channel)
        return
    payment_id = uuid4()
    customer_id = found.customer_id
    if customer_id is None:
        # Nobody to allocate to: held unallocated (suspense) for an officer to trace.
        await _record_payment(session, payment_id, payment, None, "unidentified", payment.amount_pence)
        await runtime.outbox.add(
            session, _allocated(payment_id, None, payment, [], payment.amount_pence), causation=envelope
        )
        return
    debts = await accounts_of_customer(session, customer_id)
    by_id = {a.debt_id: a for a in debts}
    written_off = [by_id[d] for d in named if d in by_id and by_id[d].status == "written_off"]
    if written_off and len(named) == 1:
        await hold_for_written_off_debt(session, payment_id, payment, customer_id, written_off[0], envelope)
        return
    owed = [a for a in debts if a.is_open and a.lines]
    allocation = allocate_payment(
        payment.amount_pence,
        [a.position for a in owed],
        payment.received_on,
        _directions(payment, owed),
        rules,
    )
    rows = [
        (UUID(a.debt_id), a.instalment_number, a.amount_pence, a.basis.value) for a in allocation.allocations
    ]
    events: list[Contract] = [
        _allocated(payment_id, customer_id, payment, rows, allocation.unallocated_pence)
    ]
    await _record_payment(
        session, payment_id, payment, customer_id, "allocated", allocation.unallocated_pence, rows
    )
    events += await apply_to_debts(
        session, rows, by_id, PostingKind.PAYMENT, payment.received_on, str(payment_id)
    )
    if allocation.unallocated_pence:
        events += await refund_due(
            session, customer_id, payment_id, allocation.unallocated_pence, payment.received_on
        )
    await runtime.outbox.add_all(session, events, causation=envelope)


async def apply_to_debts(
    session: AsyncSession,
    rows: list[tuple[UUID, int, Pence, str]],
    accounts_by_id: dict[UUID, DebtAccount],
    kind: PostingKind,
    on: date,
    cause_reference: str,
    cause: str = "payment",
) -> list[Contract]:
    """Post money applied to debts line by line (payments, offsets): one posting per debt, its lines reduced,
    BalanceChanged for each and DebtSettled where the balance reached nil."""
    per_debt: dict[UUID, list[tuple[int, Pence]]] = defaultdict(list)
    for debt_id, line, amount, _ in rows:
        per_debt[debt_id].append((line, -amount))
    movements = [
        Movement(posting(debt_id, kind, -sum(c for _, c in lines)), on, cause_reference, tuple(lines))
        for debt_id, lines in per_debt.items()
    ]
    balances = await post_movements(session, movements)
    events: list[Contract] = []
    for movement in movements:
        debt_id = UUID(movement.posting.debt_id)
        events += balance_events(
            accounts_by_id[debt_id], balances[debt_id], movement.posting.signed_pence, cause, on
        )
    return events


async def refund_due(
    session: AsyncSession, customer_id: UUID | None, payment_id: UUID | None, amount: Pence, on: date
) -> list[Contract]:
    """Record a true surplus as a refund due (only ever called once nothing else is owed)."""
    refund_id = uuid4()
    await session.execute(
        text(
            "INSERT INTO refund (refund_id, customer_id, payment_id, amount_pence, reason, created_on) "
            "VALUES (:id, :customer_id, :payment_id, :amount, 'surplus after every debt was paid', :on)"
        ),
        {"id": refund_id, "customer_id": customer_id, "payment_id": payment_id, "amount": amount, "on": on},
    )
    return [
        RefundDue(
            refund_id=refund_id,
            customer_id=customer_id,
            payment_id=payment_id,
            amount_pence=amount,
            due_on=on,
        )
    ]


async def settle_credit(
    session: AsyncSession, account: DebtAccount, credit: Pence, on: date, cause_reference: str
) -> list[Contract]:
    """A debt in credit (e.g. paid-up interest reversed for a breathing space): offset against everything
    else the customer owes, down the hierarchy; only what remains is refunded (Derby 11)."""
    if credit <= 0:
        return []
    customer_id = account.customer_ids[0] if account.customer_ids else None
    others = [
        a
        for a in (await accounts_of_customer(session, customer_id) if customer_id else [])
        if a.debt_id != account.debt_id
    ]
    owed = [a for a in others if a.is_open and a.lines]
    settlement = settle_overpayment(credit, [a.position for a in owed], on, rules)
    rows = [(UUID(a.debt_id), a.instalment_number, a.amount_pence, a.basis.value) for a in settlement.offsets]
    moved_out = Movement(
        posting(account.debt_id, PostingKind.OFFSET_OUT, settlement.offset_pence), on, cause_reference
    )
    refunded = Movement(
        posting(account.debt_id, PostingKind.REFUND, settlement.refund_pence), on, cause_reference
    )
    balances = await post_movements(session, [m for m in (moved_out, refunded) if m.posting.amount_pence])
    events: list[Contract] = []
    if balances:
        events += balance_events(account, balances[account.debt_id], credit, "offset", on)
    events += await apply_to_debts(
        session, rows, {a.debt_id: a for a in owed}, PostingKind.OFFSET_IN, on, cause_reference, "offset"
    )
    if settlement.refund_pence:
        events += await refund_due(session, customer_id, None, settlement.refund_pence, on)
    return events


async def hold_for_written_off_debt(
    session: AsyncSession,
    payment_id: UUID,
    payment: IncomingPayment,
    customer_id: UUID,
    debt: DebtAccount,
    envelope: Envelope,
) -> None:
    """Money for a written-off debt is held against it; the write-off service decides the reinstatement."""
    held = IncomingPayment(**{**payment.__dict__, "debt_id": debt.debt_id})
    await _record_payment(
        session, payment_id, held, customer_id, "held_on_written_off_debt", payment.amount_pence
    )
    await runtime.outbox.add(
        session,
        PaymentReceivedOnWrittenOffDebt(
            payment_id=payment_id,
            debt_id=debt.debt_id,
            amount_pence=payment.amount_pence,
            received_on=payment.received_on,
        ),
        causation=envelope,
    )


def _allocated(
    payment_id: UUID,
    customer_id: UUID | None,
    payment: IncomingPayment,
    rows: list[tuple[UUID, int, Pence, str]],
    unallocated: Pence,
) -> PaymentAllocated:
    return PaymentAllocated(
        payment_id=payment_id,
        customer_id=customer_id,
        channel=payment.channel,
        channel_reference=payment.channel_reference,
        amount_pence=payment.amount_pence,
        received_on=payment.received_on,
        allocations=[
            PaymentAllocation(debt_id=d, instalment_number=n, amount_pence=a) for d, n, a, _ in rows
        ],
        unallocated_pence=unallocated,
    )


@runtime.inbox.handles(PaymentReceived)
async def payment_received(session: AsyncSession, message: PaymentReceived, envelope: Envelope) -> None:
    """A council channel took money: apply it once, where the customer directed or by the hierarchy."""
    if message.amount_pence <= 0:
        raise ValueError("a payment must be for more than nil; reversals are posted separately")
    await post_payment(
        session,
        IncomingPayment(
            channel=message.channel,
            channel_reference=message.channel_reference,
            amount_pence=message.amount_pence,
            received_on=message.received_on,
            customer_id=message.customer_id,
            account_reference=message.account_reference,
            directed_to=tuple(message.directed_to),
        ),
        envelope,
    )


@runtime.inbox.handles(PaymentCollectedByAgent)
async def payment_collected_by_agent(
    session: AsyncSession, message: PaymentCollectedByAgent, envelope: Envelope
) -> None:
    """An agent collected money on a placed debt (channel 'agent'; the agent's name and payment reference make
    the channel reference, so the same collection reported twice is applied once)."""
    if message.amount_pence <= 0:
        raise ValueError("an agent collection must be for more than nil")
    await post_payment(
        session,
        IncomingPayment(
            channel="agent",
            channel_reference=f"{message.agent}:{message.agent_payment_reference}",
            amount_pence=message.amount_pence,
            received_on=message.collected_on,
            debt_id=message.debt_id,
        ),
        envelope,
    )
