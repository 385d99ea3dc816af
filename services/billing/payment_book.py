"""A batch of payments as it is worked out in memory, before it goes to the database in one statement.

The book holds the customers' debts as the batch leaves them, so two payments from one customer in a batch see
each other, and gathers every row the batch writes (payments, allocations, payments per debt, refunds) as typed
records for `PaymentStore.record_batch`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from services.billing.debt_accounts import DebtAccount, balance_events
from services.billing.domain.allocation import Allocation
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.debt_position import DebtPosition
from shared.contracts.billing import PaymentAllocated, PaymentAllocation, RefundDue
from shared.contracts.envelope import Contract, Envelope
from shared.ids import new_id
from shared.money import Pence


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


@dataclass(frozen=True)
class AllocationRow:
    """Money of one payment applied to one line of one debt, on what basis, and for a debt in a breathing space
    with ongoing liabilities whether it paid an ongoing liability or the moratorium debt."""

    debt_id: UUID
    line_number: int
    amount_pence: Pence
    basis: str
    breathing_space: str | None = None


def allocation_rows(allocations: Iterable[Allocation]) -> list[AllocationRow]:
    """The domain's allocations as the rows written for them."""
    return [
        AllocationRow(
            UUID(a.debt_id),
            a.instalment_number,
            a.amount_pence,
            a.basis.value,
            a.breathing_space.value if a.breathing_space else None,
        )
        for a in allocations
    ]


def payment_allocated(
    payment_id: UUID,
    customer_id: UUID | None,
    channel: str,
    channel_reference: str,
    amount_pence: Pence,
    received_on: date,
    rows: list[AllocationRow],
    unallocated_pence: Pence,
) -> PaymentAllocated:
    """The event telling where a payment went."""
    return PaymentAllocated(
        payment_id=payment_id,
        customer_id=customer_id,
        channel=channel,
        channel_reference=channel_reference,
        amount_pence=amount_pence,
        received_on=received_on,
        allocations=[
            PaymentAllocation(debt_id=r.debt_id, instalment_number=r.line_number, amount_pence=r.amount_pence)
            for r in rows
        ],
        unallocated_pence=unallocated_pence,
    )


@dataclass(frozen=True)
class PaymentRecord:
    """A payment row: how it came, who it was found to be from, and what became of it."""

    payment_id: UUID
    payment: IncomingPayment
    customer_id: UUID | None
    debt_id: UUID | None
    status: str
    unallocated_pence: Pence


@dataclass(frozen=True)
class PaymentAllocationRecord:
    """An allocation row of a payment."""

    payment_id: UUID
    allocation: AllocationRow


@dataclass(frozen=True)
class DebtPaid:
    """One payment's posting on one debt: its balance falls by the amount."""

    debt_id: UUID
    amount_pence: Pence
    posted_on: date
    payment_id: UUID


@dataclass(frozen=True)
class RefundRecord:
    """A true surplus due back to the customer."""

    refund_id: UUID
    customer_id: UUID | None
    payment_id: UUID | None
    amount_pence: Pence
    created_on: date
    rule: str | None = None
    """The overpayment rule that decided it (issue 19), where one did."""


@dataclass
class PaymentBatch:
    """Every row a batch of payments writes."""

    payments: list[PaymentRecord] = field(default_factory=list)
    allocations: list[PaymentAllocationRecord] = field(default_factory=list)
    debts_paid: list[DebtPaid] = field(default_factory=list)
    refunds: list[RefundRecord] = field(default_factory=list)


class PaymentBook:
    """A batch's payments worked out against the customers' debts as the batch leaves them."""

    def __init__(self, debts: list[DebtAccount]) -> None:
        self.debts = {a.debt_id: a for a in debts}
        self.by_customer: dict[UUID, list[UUID]] = defaultdict(list)
        for account in debts:
            for customer_id in account.customer_ids:
                self.by_customer[customer_id].append(account.debt_id)
        self.batch = PaymentBatch()
        self.events: list[tuple[Contract, Envelope | None]] = []
        self.placed: dict[UUID, str] = {}
        """The agent each of the batch's placed debts is with (Sundry 8.20)."""
        self.holds: dict[UUID, list[BreathingSpaceHold]] = {}
        """The breathing space holds kept for each of the batch's debts, with their scope."""

    def position(self, account: DebtAccount, on: date) -> DebtPosition:
        """The debt as a payment received on `on` sees it (a breathing space's protected date included)."""
        return account.position_on(on, self.holds.get(account.debt_id, ()))

    def customer_debts(self, customer_id: UUID) -> list[DebtAccount]:
        """The customer's debts as the batch has left them so far."""
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
        """The payment's own row."""
        self.batch.payments.append(
            PaymentRecord(payment_id, payment, customer_id, debt_id or payment.debt_id, status, unallocated)
        )

    def apply(self, payment_id: UUID, rows: list[AllocationRow], on: date) -> list[Contract]:
        """Take the allocations off the lines and balances held here; BalanceChanged (and DebtSettled) for each
        debt touched."""
        per_debt: dict[UUID, dict[int, Pence]] = defaultdict(lambda: defaultdict(int))
        for row in rows:
            per_debt[row.debt_id][row.line_number] += row.amount_pence
            self.batch.allocations.append(PaymentAllocationRecord(payment_id, row))
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
            self.batch.debts_paid.append(DebtPaid(debt_id, paid, on, payment_id))
            events += balance_events(account, updated.balance_pence, -paid, "payment", on)
        return events

    def refund(
        self, customer_id: UUID, payment_id: UUID, amount: Pence, on: date, rule: str | None = None
    ) -> RefundDue:
        """A true surplus is due back: its row and its event, each with the overpayment rule that decided it."""
        refund = RefundRecord(new_id(), customer_id, payment_id, amount, on, rule)
        self.batch.refunds.append(refund)
        return RefundDue(
            refund_id=refund.refund_id,
            customer_id=customer_id,
            payment_id=payment_id,
            amount_pence=amount,
            due_on=on,
            rule=rule,
        )
