"""Money in: council channels (direct debit, card, bank transfer, cash, PayPoint) and enforcement agents.

The same channel reference is applied once (a unique constraint, checked first so a resend publishes nothing).
Allocation is the domain's: the customer's direction (or the account paid into), else an exact instalment
match, else the debt hierarchy with the current financial year first. What is left once everything owed is
paid is the true surplus: a refund is due. Money for a written-off debt is held, and the write-off service is
told; its reinstatement applies it (see write_offs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from uuid import UUID

import structlog

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import DebtAccount, Movement, balance_events, posting
from services.billing.domain.allocation import CustomerDirection, PaymentAllocation, allocate_payment
from services.billing.domain.balances import PostingKind
from services.billing.domain.debt_status import WRITTEN_OFF
from services.billing.domain.overpayment import (
    debts_a_payment_may_reach,
    rule_for_payment_surplus,
    settle_overpayment,
)
from services.billing.domain.placed_debts import paid_to_placed_debts, reach_of_council_payment
from services.billing.payment_book import (
    AllocationRow,
    IncomingPayment,
    PaymentBook,
    RefundRecord,
    allocation_rows,
    payment_allocated,
)
from services.billing.stores import BillingStores
from services.billing.stores.payments import SURPLUS
from shared.contracts.agents_gateway import PaymentCollectedByAgent
from shared.contracts.billing import (
    PaymentAllocated,
    PaymentReceivedOnPlacedDebt,
    PaymentReceivedOnWrittenOffDebt,
    RefundDue,
)
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Contract, Envelope
from shared.ids import new_id
from shared.messaging.inbox_router import InboxRouter
from shared.money import Pence

__all__ = ["IncomingPayment", "post_payments", "router"]

log = structlog.get_logger("billing.payments")

router = InboxRouter[BillingStores, Billing]()


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


async def post_payments(
    handling: BillingHandling, deliveries: Sequence[tuple[IncomingPayment, Envelope | None]]
) -> int:
    """Apply a batch of payments, each once: identify the customer, hold money for a written-off debt, else
    allocate by the domain; then write everything in one statement and the events through the outbox in one
    insert, each event naming the delivery that caused it. Returns how many were applied (the rest had been
    already)."""
    for payment, _ in deliveries:
        if payment.amount_pence <= 0:
            raise ValueError("a payment must be for more than nil; reversals are posted separately")
    stores = handling.stores
    found = await stores.payments.identify([payment for payment, _ in deliveries])
    customers = sorted({row.customer_id for row in found if row.customer_id})
    book = PaymentBook(await stores.debts.of_customers(customers))
    book.placed = await stores.placements.agents_holding(list(book.debts))
    book.holds = await stores.holds.by_debt(list(book.debts))
    in_this_batch: set[tuple[str, str]] = set()
    for position, (payment, envelope) in enumerate(deliveries):
        key = (payment.channel, payment.channel_reference)
        if found[position].seen or key in in_this_batch:
            log.info("payment already applied; nothing more to do", channel=payment.channel)
            continue
        in_this_batch.add(key)
        events = _apply_one(book, payment, found[position].customer_id, handling.service)
        book.events += [(event, envelope) for event in events]
    if book.batch.payments:
        await stores.payments.record_batch(book.batch)
        # One outbox insert for the whole batch (a round trip per payment cost more than everything else put
        # together), each event still naming the payment message that caused it.
        await handling.outbox.add_caused(book.events)
    return len(in_this_batch)


def _apply_one(
    book: PaymentBook, payment: IncomingPayment, customer_id: UUID | None, billing: Billing
) -> list[Contract]:
    payment_id = new_id()
    if customer_id is None:
        # Nobody to allocate to: held unallocated (suspense) for an officer to trace.
        book.record(payment_id, payment, None, "unidentified", payment.amount_pence)
        return [_allocated(payment_id, None, payment, [], payment.amount_pence)]
    debts = book.customer_debts(customer_id)
    by_id = {a.debt_id: a for a in debts}
    named = list(payment.directed_to) or ([payment.debt_id] if payment.debt_id else [])
    if not named and payment.account_reference:
        # Quoting only the invoice number or account of a written-off debt identifies it as surely as its id:
        # the money waits for reinstatement rather than going elsewhere or back to the customer.
        named = [
            a.debt_id
            for a in debts
            if payment.account_reference in (a.account_reference, a.external_reference)
        ]
    written_off = [by_id[d] for d in named if d in by_id and by_id[d].status == WRITTEN_OFF]
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
    # Which debts the money was paid to, owed or not: council tax paid into a cleared account is still a
    # council tax overpayment (reg 31), not money for the hierarchy.
    paid_to = {d.debt_id for d in _directions(payment, [a for a in debts if a.is_open])}
    on = payment.received_on
    directed_to = [book.position(a, on) for a in debts if str(a.debt_id) in paid_to]
    may_reach = debts_a_payment_may_reach([book.position(a, on) for a in owed], directed_to, billing.rules)
    reach = reach_of_council_payment(
        payment.channel, [d.debt_id for d in may_reach], paid_to, {str(d) for d in book.placed}
    )
    allocation = allocate_payment(
        payment.amount_pence,
        [d for d in may_reach if d.debt_id in reach.first],
        payment.received_on,
        _directions(payment, owed),
        billing.rules,
    )
    if allocation.unallocated_pence and reach.then:
        # only what the customer's other debts cannot take reaches a debt that is with an agent
        rest = allocate_payment(
            allocation.unallocated_pence,
            [d for d in may_reach if d.debt_id in reach.then],
            payment.received_on,
            (),
            billing.rules,
        )
        allocation = PaymentAllocation(allocation.allocations + rest.allocations, rest.unallocated_pence)
    rows = allocation_rows(allocation.allocations)
    book.record(payment_id, payment, customer_id, "allocated", allocation.unallocated_pence)
    events: list[Contract] = [
        _allocated(payment_id, customer_id, payment, rows, allocation.unallocated_pence)
    ]
    events += _reported_for_agents(book, payment_id, payment, allocation)
    events += book.apply(payment_id, rows, payment.received_on)
    if allocation.unallocated_pence:
        rule = rule_for_payment_surplus(directed_to, billing.rules)
        events.append(
            book.refund(customer_id, payment_id, allocation.unallocated_pence, payment.received_on, rule)
        )
    return events


def _reported_for_agents(
    book: PaymentBook, payment_id: UUID, payment: IncomingPayment, allocation: PaymentAllocation
) -> list[Contract]:
    placed = {str(d): agent for d, agent in book.placed.items()}
    return [
        PaymentReceivedOnPlacedDebt(
            payment_id=payment_id,
            debt_id=UUID(debt_id),
            agent=placed[debt_id],
            channel=payment.channel,
            channel_reference=payment.channel_reference,
            amount_pence=amount,
            received_on=payment.received_on,
        )
        for debt_id, amount in paid_to_placed_debts(payment.channel, allocation.allocations, placed).items()
    ]


async def apply_to_debts(
    stores: BillingStores,
    rows: list[AllocationRow],
    accounts_by_id: dict[UUID, DebtAccount],
    kind: PostingKind,
    on: date,
    cause_reference: str,
    cause: str = "payment",
    rule: str | None = None,
) -> list[Contract]:
    """Post money applied to debts line by line (payments, offsets): one posting per debt, its lines reduced,
    BalanceChanged for each and DebtSettled where the balance reached nil."""
    per_debt: dict[UUID, list[tuple[int, Pence]]] = defaultdict(list)
    for row in rows:
        per_debt[row.debt_id].append((row.line_number, -row.amount_pence))
    movements = [
        Movement(posting(debt_id, kind, -sum(c for _, c in lines)), on, cause_reference, tuple(lines), rule)
        for debt_id, lines in per_debt.items()
    ]
    balances = await stores.debts.post(movements)
    events: list[Contract] = []
    for movement in movements:
        debt_id = UUID(movement.posting.debt_id)
        events += balance_events(
            accounts_by_id[debt_id], balances[debt_id], movement.posting.signed_pence, cause, on
        )
    return events


async def refund_due(
    stores: BillingStores,
    customer_id: UUID | None,
    payment_id: UUID | None,
    amount: Pence,
    on: date,
    reason: str = SURPLUS,
    rule: str | None = None,
) -> list[Contract]:
    """Record a refund due: a true surplus (only ever called once nothing else is owed), unless `reason` says
    otherwise (an officer's decision to repay a payment held for consideration); `rule` is the overpayment rule
    that decided it, kept on the row and the event (issue 19)."""
    refund = RefundRecord(new_id(), customer_id, payment_id, amount, on, rule)
    await stores.payments.add_refund(refund, reason)
    return [
        RefundDue(
            refund_id=refund.refund_id,
            customer_id=customer_id,
            payment_id=payment_id,
            amount_pence=amount,
            due_on=on,
            rule=rule,
        )
    ]


async def settle_credit(
    handling: BillingHandling, account: DebtAccount, credit: Pence, on: date, cause_reference: str
) -> list[Contract]:
    """A debt in credit (e.g. paid-up interest reversed for a breathing space, a credit note on a paid
    invoice): offset where the law allows (Derby 11 for most debts; for council tax and rates only the same
    tax's later liability, reg 31), and only what remains is refunded."""
    if credit <= 0:
        return []
    stores = handling.stores
    customer_id = account.customer_ids[0] if account.customer_ids else None
    others = [
        a
        for a in (await stores.debts.of_customer(customer_id) if customer_id else [])
        if a.debt_id != account.debt_id
    ]
    owed = [a for a in others if a.is_open and a.lines]
    # a taxpayer who asked for council tax or rates overpayments to be repaid (reg 31) is repaid, not credited
    asked = account.account_reference is not None and bool(
        await stores.refunds.accounts_repaid_on_request([account.account_reference])
    )
    settlement = settle_overpayment(
        credit,
        [a.position for a in owed],
        on,
        handling.service.rules,
        credited=account.position,
        refund_requested=asked,
    )
    rows = allocation_rows(settlement.offsets)
    moved_out = Movement(
        posting(account.debt_id, PostingKind.OFFSET_OUT, settlement.offset_pence),
        on,
        cause_reference,
        rule=settlement.rule,
    )
    refunded = Movement(
        posting(account.debt_id, PostingKind.REFUND, settlement.refund_pence),
        on,
        cause_reference,
        rule=settlement.rule,
    )
    balances = await stores.debts.post([m for m in (moved_out, refunded) if m.posting.amount_pence])
    events: list[Contract] = []
    if balances:
        events += balance_events(account, balances[account.debt_id], credit, "offset", on)
    events += await apply_to_debts(
        stores,
        rows,
        {a.debt_id: a for a in owed},
        PostingKind.OFFSET_IN,
        on,
        cause_reference,
        "offset",
        settlement.rule,
    )
    if settlement.refund_pence:
        events += await refund_due(
            stores, customer_id, None, settlement.refund_pence, on, rule=settlement.rule
        )
    return events


def _allocated(
    payment_id: UUID,
    customer_id: UUID | None,
    payment: IncomingPayment,
    rows: list[AllocationRow],
    unallocated: Pence,
) -> PaymentAllocated:
    return payment_allocated(
        payment_id,
        customer_id,
        payment.channel,
        payment.channel_reference,
        payment.amount_pence,
        payment.received_on,
        rows,
        unallocated,
    )


@router.handles_batch(PaymentReceived)
async def payments_received(
    deliveries: list[tuple[PaymentReceived, Envelope]], handling: BillingHandling
) -> None:
    """Council channels took money: apply each payment once, where the customer directed or by the hierarchy.
    Handled a batch at a time (a bank's direct debit file arrives as thousands at once)."""
    await post_payments(handling, [(council_payment(message), envelope) for message, envelope in deliveries])


@router.handles_batch(PaymentCollectedByAgent)
async def payments_collected_by_agents(
    deliveries: list[tuple[PaymentCollectedByAgent, Envelope]], handling: BillingHandling
) -> None:
    """Agents collected money on placed debts (channel 'agent'; the agent's name and payment reference make the
    channel reference, so the same collection reported twice is applied once)."""
    await post_payments(
        handling,
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
