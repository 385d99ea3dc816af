"""Money in: council channels (direct debit, card, bank transfer, cash, PayPoint) and enforcement agents.

The same channel reference is applied once (a unique constraint, checked first so a resend publishes nothing).
Allocation is the domain's: the customer's direction (or the account paid into), else an exact instalment
match, else the debt hierarchy with the current financial year first. What is left once everything owed is
paid is the true surplus: a refund is due. Money for a written-off debt is held, and the write-off service is
told; its reinstatement applies it (see write_offs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    DebtAccount,
    Movement,
    accounts_of_customer,
    accounts_of_customers,
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
from shared.ids import new_id
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
    SELECT p.position,
        EXISTS (SELECT 1 FROM payment x WHERE x.channel = p.channel AND x.channel_reference = p.reference) AS seen,
        coalesce(
            (SELECT coalesce(c.merged_into, c.customer_id) FROM customer c WHERE c.customer_id = p.customer_id),
            (SELECT dp.customer_id FROM debt_party dp WHERE dp.debt_id = p.debt_id ORDER BY dp.customer_id LIMIT 1),
            (SELECT dp.customer_id FROM debt d JOIN debt_party dp ON dp.debt_id = d.debt_id
             WHERE p.account IS NOT NULL AND (d.account_reference = p.account OR d.external_reference = p.account)
             ORDER BY d.raised_on DESC, dp.customer_id LIMIT 1)
        ) AS customer_id
    FROM unnest(CAST(:positions AS int[]), CAST(:channels AS text[]), CAST(:references AS text[]),
                CAST(:customers AS uuid[]), CAST(:debts AS uuid[]), CAST(:accounts AS text[]))
        AS p(position, channel, reference, customer_id, debt_id, account)
    """
)

_RECORD = text(
    """
    WITH paid AS (
        INSERT INTO payment (payment_id, channel, channel_reference, amount_pence, received_on, customer_id,
                             debt_id, account_reference, status, unallocated_pence)
        SELECT * FROM unnest(CAST(:p_ids AS uuid[]), CAST(:p_channels AS text[]), CAST(:p_references AS text[]),
            CAST(:p_amounts AS bigint[]), CAST(:p_dates AS date[]), CAST(:p_customers AS uuid[]),
            CAST(:p_debts AS uuid[]), CAST(:p_accounts AS text[]), CAST(:p_statuses AS text[]),
            CAST(:p_unallocated AS bigint[]))
        RETURNING payment_id),
    allocated AS (
        INSERT INTO allocation (payment_id, debt_id, line_number, amount_pence, basis)
        SELECT * FROM unnest(CAST(:a_payments AS uuid[]), CAST(:a_debts AS uuid[]), CAST(:a_lines AS int[]),
            CAST(:a_amounts AS bigint[]), CAST(:a_bases AS text[]))
        RETURNING payment_id),
    lines AS (
        UPDATE debt_line l SET outstanding_pence = l.outstanding_pence - c.paid
        FROM (SELECT debt_id, line_number, sum(amount) AS paid
              FROM unnest(CAST(:a_debts AS uuid[]), CAST(:a_lines AS int[]), CAST(:a_amounts AS bigint[]))
                  AS a(debt_id, line_number, amount)
              GROUP BY debt_id, line_number) c
        WHERE l.debt_id = c.debt_id AND l.number = c.line_number RETURNING l.debt_id),
    posted AS (
        INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference)
        SELECT debt_id, 'payment', amount, posted_on, cause
        FROM unnest(CAST(:t_debts AS uuid[]), CAST(:t_amounts AS bigint[]), CAST(:t_dates AS date[]),
                    CAST(:t_causes AS text[])) AS t(debt_id, amount, posted_on, cause)
        RETURNING debt_id),
    moved AS (
        UPDATE debt d SET balance_pence = d.balance_pence - m.paid
        FROM (SELECT debt_id, sum(amount) AS paid
              FROM unnest(CAST(:t_debts AS uuid[]), CAST(:t_amounts AS bigint[])) AS t(debt_id, amount)
              GROUP BY debt_id) m
        WHERE d.debt_id = m.debt_id RETURNING d.debt_id),
    refunded AS (
        INSERT INTO refund (refund_id, customer_id, payment_id, amount_pence, reason, created_on)
        SELECT id, customer_id, payment_id, amount, 'surplus after every debt was paid', created_on
        FROM unnest(CAST(:r_ids AS uuid[]), CAST(:r_customers AS uuid[]), CAST(:r_payments AS uuid[]),
                    CAST(:r_amounts AS bigint[]), CAST(:r_dates AS date[]))
            AS r(id, customer_id, payment_id, amount, created_on)
        RETURNING refund_id)
    SELECT (SELECT count(*) FROM paid) AS payments, (SELECT count(*) FROM lines) AS lines,
           (SELECT count(*) FROM moved) AS debts
    """
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


class PaymentBook:
    """Everything a batch of payments writes, gathered so it goes to the database in one statement; and the
    customers' debts as the batch leaves them, so two payments from one customer in a batch see each other."""

    def __init__(self, debts: list[DebtAccount]) -> None:
        self.debts = {a.debt_id: a for a in debts}
        self.by_customer: dict[UUID, list[UUID]] = defaultdict(list)
        for account in debts:
            for customer_id in account.customer_ids:
                self.by_customer[customer_id].append(account.debt_id)
        self.columns: dict[str, list[Any]] = defaultdict(list)
        self.events: list[tuple[Contract, Envelope]] = []

    def customer_debts(self, customer_id: UUID) -> list[DebtAccount]:
        return [self.debts[d] for d in self.by_customer.get(customer_id, ())]

    def record(
        self,
        payment_id: UUID,
        payment: IncomingPayment,
        customer_id: UUID | None,
        status: str,
        unallocated: Pence,
        debt_id: UUID | None = None,
    ) -> None:
        for column, value in (
            ("p_ids", payment_id),
            ("p_channels", payment.channel),
            ("p_references", payment.channel_reference),
            ("p_amounts", payment.amount_pence),
            ("p_dates", payment.received_on),
            ("p_customers", customer_id),
            ("p_debts", debt_id or payment.debt_id),
            ("p_accounts", payment.account_reference),
            ("p_statuses", status),
            ("p_unallocated", unallocated),
        ):
            self.columns[column].append(value)

    def apply(self, payment_id: UUID, rows: list[tuple[UUID, int, Pence, str]], on: date) -> list[Contract]:
        """Take the allocations off the lines and balances held here; BalanceChanged (and DebtSettled) for each
        debt touched."""
        per_debt: dict[UUID, dict[int, Pence]] = defaultdict(lambda: defaultdict(int))
        for debt_id, line, amount, basis in rows:
            per_debt[debt_id][line] += amount
            for column, value in (
                ("a_payments", payment_id),
                ("a_debts", debt_id),
                ("a_lines", line),
                ("a_amounts", amount),
                ("a_bases", basis),
            ):
                self.columns[column].append(value)
        events: list[Contract] = []
        for debt_id, lines in per_debt.items():
            account = self.debts[debt_id]
            paid = sum(lines.values())
            remaining = tuple(
                replace(line, outstanding_pence=line.outstanding_pence - lines[line.number])
                if line.number in lines
                else line
                for line in account.lines
            )
            updated = replace(account, lines=remaining, balance_pence=account.balance_pence - paid)
            self.debts[debt_id] = updated
            for column, value in (
                ("t_debts", debt_id),
                ("t_amounts", paid),
                ("t_dates", on),
                ("t_causes", str(payment_id)),
            ):
                self.columns[column].append(value)
            events += balance_events(account, updated.balance_pence, -paid, "payment", on)
        return events

    def refund(self, customer_id: UUID, payment_id: UUID, amount: Pence, on: date) -> RefundDue:
        refund_id = new_id()
        for column, value in (
            ("r_ids", refund_id),
            ("r_customers", customer_id),
            ("r_payments", payment_id),
            ("r_amounts", amount),
            ("r_dates", on),
        ):
            self.columns[column].append(value)
        return RefundDue(
            refund_id=refund_id,
            customer_id=customer_id,
            payment_id=payment_id,
            amount_pence=amount,
            due_on=on,
        )

    async def write(self, session: AsyncSession) -> None:
        if not self.columns["p_ids"]:
            return
        names = [
            "p_ids", "p_channels", "p_references", "p_amounts", "p_dates", "p_customers", "p_debts", "p_accounts",
            "p_statuses", "p_unallocated", "a_payments", "a_debts", "a_lines", "a_amounts", "a_bases", "t_debts",
            "t_amounts", "t_dates", "t_causes", "r_ids", "r_customers", "r_payments", "r_amounts", "r_dates",
        ]  # fmt: skip
        await session.execute(_RECORD, {name: self.columns[name] for name in names})
        # One outbox insert for the whole batch (a round trip per payment cost more than everything else put
        # together), each event still naming the payment message that caused it.
        await runtime.outbox.add_caused(session, self.events)


def council_payment(message: PaymentReceived) -> IncomingPayment:
    """A payment taken by a council channel, as posting sees it."""
    return IncomingPayment(
        channel=message.channel,
        channel_reference=message.channel_reference,
        amount_pence=message.amount_pence,
        received_on=message.received_on,
        customer_id=message.customer_id,
        account_reference=message.account_reference,
        directed_to=tuple(message.directed_to),
    )


async def post_payments(session: AsyncSession, deliveries: list[tuple[IncomingPayment, Envelope]]) -> int:
    """Apply a batch of payments, each once: identify the customer, hold money for a written-off debt, else
    allocate by the domain; then write everything in one statement and the events through the outbox. Returns
    how many were applied (the rest had been already)."""
    for payment, _ in deliveries:
        if payment.amount_pence <= 0:
            raise ValueError("a payment must be for more than nil; reversals are posted separately")
    found = {
        row.position: row
        for row in await session.execute(
            _IDENTIFY,
            {
                "positions": list(range(len(deliveries))),
                "channels": [p.channel for p, _ in deliveries],
                "references": [p.channel_reference for p, _ in deliveries],
                "customers": [p.customer_id for p, _ in deliveries],
                "debts": [(list(p.directed_to) or [p.debt_id])[0] for p, _ in deliveries],
                "accounts": [p.account_reference for p, _ in deliveries],
            },
        )
    }
    customers = sorted({row.customer_id for row in found.values() if row.customer_id})
    debts = await accounts_of_customers(session, customers)
    book = PaymentBook(debts)
    in_this_batch: set[tuple[str, str]] = set()
    for position, (payment, envelope) in enumerate(deliveries):
        key = (payment.channel, payment.channel_reference)
        if found[position].seen or key in in_this_batch:
            log.info("payment already applied; nothing more to do", channel=payment.channel)
            continue
        in_this_batch.add(key)
        book.events += [(event, envelope) for event in _apply_one(book, payment, found[position].customer_id)]
    await book.write(session)
    return len(in_this_batch)


def _apply_one(book: PaymentBook, payment: IncomingPayment, customer_id: UUID | None) -> list[Contract]:
    payment_id = new_id()
    if customer_id is None:
        # Nobody to allocate to: held unallocated (suspense) for an officer to trace.
        book.record(payment_id, payment, None, "unidentified", payment.amount_pence)
        return [_allocated(payment_id, None, payment, [], payment.amount_pence)]
    debts = book.customer_debts(customer_id)
    by_id = {a.debt_id: a for a in debts}
    named = list(payment.directed_to) or ([payment.debt_id] if payment.debt_id else [])
    written_off = [by_id[d] for d in named if d in by_id and by_id[d].status == "written_off"]
    if written_off and len(named) == 1:
        # The write-off service decides the reinstatement; the money waits on the debt until it does.
        debt = written_off[0]
        book.record(
            payment_id, payment, customer_id, "held_on_written_off_debt", payment.amount_pence, debt.debt_id
        )
        return [
            PaymentReceivedOnWrittenOffDebt(
                payment_id=payment_id,
                debt_id=debt.debt_id,
                amount_pence=payment.amount_pence,
                received_on=payment.received_on,
            )
        ]
    owed = [a for a in debts if a.is_open and a.position.outstanding_pence > 0]
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
    book.record(payment_id, payment, customer_id, "allocated", allocation.unallocated_pence)
    events: list[Contract] = [
        _allocated(payment_id, customer_id, payment, rows, allocation.unallocated_pence)
    ]
    events += book.apply(payment_id, rows, payment.received_on)
    if allocation.unallocated_pence:
        events.append(book.refund(customer_id, payment_id, allocation.unallocated_pence, payment.received_on))
    return events


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
    refund_id = new_id()
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


@runtime.inbox.handles_batch(PaymentReceived)
async def payments_received(
    session: AsyncSession, deliveries: list[tuple[PaymentReceived, Envelope]]
) -> None:
    """Council channels took money: apply each payment once, where the customer directed or by the hierarchy.
    Handled a batch at a time (a bank's direct debit file arrives as thousands at once)."""
    await post_payments(session, [(council_payment(message), envelope) for message, envelope in deliveries])


@runtime.inbox.handles_batch(PaymentCollectedByAgent)
async def payments_collected_by_agents(
    session: AsyncSession, deliveries: list[tuple[PaymentCollectedByAgent, Envelope]]
) -> None:
    """Agents collected money on placed debts (channel 'agent'; the agent's name and payment reference make the
    channel reference, so the same collection reported twice is applied once)."""
    await post_payments(
        session,
        [
            (
                IncomingPayment(
                    channel="agent",
                    channel_reference=f"{message.agent}:{message.agent_payment_reference}",
                    amount_pence=message.amount_pence,
                    received_on=message.collected_on,
                    debt_id=message.debt_id,
                ),
                envelope,
            )
            for message, envelope in deliveries
        ],
    )
