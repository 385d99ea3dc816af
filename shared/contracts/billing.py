"""Events published by billing: customers, debts, instalments, payments, balances, credit notes, write-offs.

Billing is the book of record for money. Every other service keeps a projection of what it needs from these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Contract, contract

D = TypeVar("D")


class InstalmentDue(BaseModel):
    """One instalment of a debt's schedule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    due_date: date
    amount_pence: int


@contract("billing.customer.registered", version=1)
class CustomerRegistered(Contract):
    """A new customer record, with the identity used for matching (breathing space search, write-off
    interests). Personal data: consumers must keep it out of logs."""

    customer_id: UUID
    identity: LiableParty


@contract("billing.customer.amended", version=1)
class CustomerAmended(Contract):
    """A customer's identity changed (new address, corrected name or date of birth)."""

    customer_id: UUID
    identity: LiableParty


@contract("billing.customer.match_flagged", version=1)
class CustomerMatchFlagged(Contract):
    """A liable party looks like an existing customer but not certainly: an officer must confirm. Never merged
    silently; the debt is raised against a new customer record meanwhile."""

    customer_id: UUID
    possible_matches: list[UUID]
    reasons: list[str]
    review_id: UUID | None = Field(
        default=None, description="The review an officer confirms or rejects (POST /match-reviews/{id}/...)"
    )


@contract("billing.customer.match_resolved", version=1)
class CustomerMatchResolved(Contract):
    """An officer decided a flagged match. Confirmed: the provisional customer's debts now belong to
    `confirmed_customer_id` (the provisional record is kept, marked merged). Rejected: they stay two customers."""

    review_id: UUID
    customer_id: UUID
    outcome: str = Field(description="confirmed | rejected")
    confirmed_customer_id: UUID | None = None
    moved_debt_ids: list[UUID] = Field(default_factory=list)
    decided_by: str


@contract("billing.debt.raised", version=1)
class DebtRaised(Contract):
    """A debt now exists: the recovery case, breathing space search and agents all start from this."""

    debt_id: UUID
    customer_ids: list[UUID]
    debt_type: str
    amount_pence: int
    financial_year: str
    due_date: date
    raised_on: date
    originating_service: str
    income_code: str
    external_reference: str
    evidence_reference: str
    instalments: list[InstalmentDue] = Field(default_factory=list)


@contract("billing.charge.refused", version=1)
class ChargeRefused(Contract):
    """Answer to the requesting council system: the charge was not raised, and why. Nothing was applied."""

    external_reference: str
    requesting_system: str
    reasons: list[str]
    refused_on: date


@contract("billing.instalment.fell_due", version=1)
class InstalmentFellDue(Contract):
    """An instalment's due date has arrived with money still owed on it."""

    debt_id: UUID
    instalment_number: int
    due_date: date
    outstanding_pence: int


class PaymentAllocation(BaseModel):
    """Part of a payment applied to one debt (and instalment, where the debt has a schedule)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    debt_id: UUID
    instalment_number: int | None = None
    amount_pence: int


@contract("billing.payment.allocated", version=1)
class PaymentAllocated(Contract):
    """A payment was received and spread over the customer's debts (instalments first, then the hierarchy).
    `unallocated_pence` is the true surplus, held as credit or refunded."""

    payment_id: UUID
    customer_id: UUID | None
    channel: str = Field(description="direct_debit | card | bank_transfer | cash | paypoint | agent")
    channel_reference: str
    amount_pence: int
    received_on: date
    allocations: list[PaymentAllocation]
    unallocated_pence: int = 0


@contract("billing.balance.changed", version=1)
class BalanceChanged(Contract):
    """A debt's outstanding balance moved (payment, credit note, costs, interest, write-off, reinstatement)."""

    debt_id: UUID
    customer_ids: list[UUID]
    debt_type: str
    balance_pence: int
    change_pence: int
    cause: str = Field(
        description="payment | credit_note | costs | interest | fee | write_off | reinstatement "
        "| cancellation | interest_reversal"
    )
    as_of: date


BALANCE_CHANGES_PER_STATEMENT = 1_000
"""The most balance changes one `BalancesChanged` carries (a write-off schedule posts thousands at once)."""


@contract("billing.balances.changed", version=1)
class BalancesChanged(Contract):
    """Every balance change billing posted in one transaction, in the order posted: the same `BalanceChanged`
    events, each also published on its own, stated together for the services that must hear every balance
    change (recovery, breathing space, the agents gateway, write-off). One message for a batch of payments keeps
    5,000 balance changes a second within what a two-core machine can deliver to four services; consumers apply
    the changes of one debt in order (the last stands). A transaction that moves more than
    `BALANCE_CHANGES_PER_STATEMENT` balances states them in several messages, in order."""

    changes: list[BalanceChanged] = Field(min_length=1, max_length=BALANCE_CHANGES_PER_STATEMENT)

    @classmethod
    def stating(cls, changes: list[BalanceChanged]) -> list[BalancesChanged]:
        """The statements of these changes, in order, at most `BALANCE_CHANGES_PER_STATEMENT` each."""
        size = BALANCE_CHANGES_PER_STATEMENT
        return [cls(changes=changes[i : i + size]) for i in range(0, len(changes), size)]


@contract("billing.debt.settled", version=1)
class DebtSettled(Contract):
    """A debt's balance reached zero: recovery on it stops."""

    debt_id: UUID
    settled_on: date


@contract("billing.debt.cancelled", version=1)
class DebtCancelled(Contract):
    """The originating service cancelled the debt (it should never have been raised)."""

    debt_id: UUID
    cancelled_on: date
    reason: str


@contract("billing.credit_note.issued", version=1)
class CreditNoteIssued(Contract):
    """An invoice was corrected by a credit note (never used instead of a write-off)."""

    credit_note_id: UUID
    debt_id: UUID
    amount_pence: int
    reason: str
    issued_on: date


@contract("billing.debt.written_off", version=1)
class DebtWrittenOff(Contract):
    """An approved write-off was posted against the debt's income code."""

    debt_id: UUID
    write_off_id: UUID
    amount_pence: int
    income_code: str
    written_off_on: date


@contract("billing.debt.reinstated", version=1)
class DebtReinstated(Contract):
    """Money arrived on a written-off debt: the unpaid remainder is owed again and goes back to enforcement
    (Derby App.1 §12)."""

    debt_id: UUID
    write_off_id: UUID | None
    reinstated_pence: int
    reinstated_on: date


@contract("billing.costs.added", version=1)
class CostsAdded(Contract):
    """Costs, interest or a late fee added to a debt (summons costs, liability order costs, sundry interest).
    Interest and a late fee say the basis they were charged on (issue 19); costs have none."""

    debt_id: UUID
    kind: str
    amount_pence: int
    added_on: date
    late_payment_basis: str | None = Field(
        default=None,
        description="Interest or a late fee: late_payment_act (a business debtor, Late Payment of Commercial "
        "Debts (Interest) Act 1998) or contract (the charge's contract provides it); none on costs",
    )
    annual_interest_percent: Decimal | None = Field(
        default=None,
        description="Interest: the rate a year charged (under the Act the reference rate + 8%)",
    )
    reference_day: date | None = Field(
        default=None,
        description="Interest under the Act: the day whose Bank of England base rate is the reference rate "
        "(31 December for January to June, 30 June for July to December)",
    )
    base_rate_percent: Decimal | None = Field(
        default=None,
        description="Interest under the Act: the Bank of England base rate in force on the reference day",
    )
    fixed_sum_band: str | None = Field(
        default=None,
        description="The Act's fixed sum: the band the debt's size fell in, under_1000 (£40), 1000_to_9999.99 "
        "(£70) or 10000_or_more (£100)",
    )


@contract("billing.breathing_space_hold.confirmed", version=1)
class BillingConfirmedHold(Contract):
    """Billing has frozen interest, fees and charges on the held debts."""

    moratorium_reference: str
    hold_version: int
    confirmed_debt_ids: list[UUID]


@contract("billing.payment.received_on_written_off_debt", version=1)
class PaymentReceivedOnWrittenOffDebt(Contract):
    """Money arrived for a debt that was written off. Billing holds it against the debt; the write-off service
    decides the reinstatement of the unpaid remainder (Derby App.1 §12) and answers with
    `writeoff.write_off.reinstated`, on which billing reinstates and applies the payment."""

    payment_id: UUID
    debt_id: UUID
    amount_pence: int
    received_on: date


@contract("billing.payment_for_consideration.applied", version=1)
class PaymentForConsiderationApplied(Contract):
    """Billing applied the write-off officer's decision (`writeoff.payment_for_consideration.decided`) on a
    payment it held on a debt written off for a reason that ends lawful enforcement (issue 19; Derby App.1 §12).

    `accepted`: `recovered_pence` of the write-off was written back and paid by the payment (the debt stays
    closed as written off; nothing is referred), `overpaid_pence` beyond it offset or refunded as any
    overpayment. `refunded`: `refunded_pence` is due back to the payer (`billing.refund.due`). `reinstated`:
    nothing moved now (`awaits_reinstatement`); the reinstatement applies the payment. `moved_money` is false
    when billing no longer held the payment (a reinstatement had applied it)."""

    payment_id: UUID
    debt_id: UUID
    write_off_id: UUID
    outcome: str = Field(description="accepted | reinstated | refunded")
    recovered_pence: int = 0
    overpaid_pence: int = 0
    refunded_pence: int = 0
    awaits_reinstatement: bool = False
    moved_money: bool = False
    decided_by: str = Field(description="The officer who decided, as the write-off service recorded them")
    rule: str = Field(description="The rule billing applied, as recorded with the decision")
    applied_on: date


@contract("billing.credit_note.refused", version=1)
class CreditNoteRefused(Contract):
    """Answer to the requesting council system: the credit note was not issued, and why. Nothing was applied."""

    requesting_system: str
    external_reference: str
    credit_note_reference: str
    reasons: list[str]
    refused_on: date


@contract("billing.cancellation.refused", version=1)
class CancellationRefused(Contract):
    """Answer to the requesting council system: the charge was not cancelled (only the originating service may
    cancel; a paid or written-off debt is not cancelled), and why."""

    requesting_system: str
    external_reference: str
    requested_by_service: str
    reasons: list[str]
    refused_on: date


@contract("billing.payment_file.loaded", version=1)
class PaymentFileLoaded(Contract):
    """A payment file (direct debit collection, bank, PayPoint, cash office) was applied. Every event its payments
    caused names this event as its cause, so an auditor can follow a file to each allocation and back."""

    file_name: str
    payments: int = Field(description="Payments in the file")
    applied: int = Field(description="Applied by this load")
    already_applied: int = Field(description="Applied before (the same channel reference), left as they were")
    loaded_on: date


@contract("billing.refund.due", version=1)
class RefundDue(Contract):
    """A true surplus: the customer owes the council nothing else, so the money is to be paid back (Derby 11)."""

    refund_id: UUID
    customer_id: UUID | None
    payment_id: UUID | None
    amount_pence: int
    due_on: date
    rule: str | None = Field(
        default=None,
        description="The overpayment rule that decided it: offset_then_refund (Derby 11.1), local_tax_refund or "
        "local_tax_later_liability (CT reg 31, NNDR reg 9); none where no overpayment rule applied",
    )


@contract("billing.refund_request.answered", version=1)
class RefundRequestAnswered(Contract):
    """Answer to a taxpayer's request (`council_systems.refund.requested`) for an overpayment of council tax or
    business rates to be repaid rather than credited against later liability. `refund_due`: the credit the
    account held is now a refund due (`refund_id`, also announced as `billing.refund.due`), waiting for a senior
    officer to authorise it; overpayments on the account are repaid from now on. `nothing_to_refund`: the
    account holds no credit today (the request still stands for later overpayments). `refused`: the request
    cannot be met, with the reasons (no such council tax or rates account, a repeated request reference)."""

    requesting_system: str
    request_reference: str
    account_reference: str
    outcome: str = Field(description="refund_due | nothing_to_refund | refused")
    customer_id: UUID | None = None
    refund_id: UUID | None = None
    amount_pence: int = 0
    reasons: list[str] = Field(default_factory=list)
    answered_on: date


@contract("billing.refund.authorised", version=1)
class RefundAuthorised(Contract):
    """A senior officer authorised a refund due: the council pays `amount_pence` back to the customer.
    `authorised_by` is the officer as their token names them."""

    refund_id: UUID
    customer_id: UUID | None
    amount_pence: int
    reason: str
    request_reference: str | None = Field(
        default=None, description="The taxpayer's refund request it answers, if it was asked for"
    )
    authorised_by: str
    authorised_on: date


@contract("billing.debt.transferred", version=1)
class DebtTransferred(Contract):
    """A debt now belongs to other customers: an officer corrected who is liable (the wrong person was billed,
    a liable party was added or removed). Everything that follows a person's debts (breathing space, recovery,
    the agents gateway) treats it as a debt of `to_customer_ids` from now on and no longer of whoever is only
    in `from_customer_ids`. `transferred_by` is the officer as their token names them."""

    debt_id: UUID
    debt_type: str
    from_customer_ids: list[UUID]
    to_customer_ids: list[UUID]
    balance_pence: int
    reason: str
    transferred_by: str
    transferred_on: date


@contract("billing.payment.received_on_placed_debt", version=1)
class PaymentReceivedOnPlacedDebt(Contract):
    """The council itself took money for a debt placed with an agent (Sundry 8.20: payments on a placed case go
    to the agent). It is applied to the debt (and in `billing.payment.allocated`), and announced here so the
    agent is told: the agents gateway amends the placement, so the agent neither collects it again nor enforces
    for it. Never sent for the agent's own collections."""

    payment_id: UUID
    debt_id: UUID
    agent: str = Field(
        description="The agent holding the debt (the agency kind until the agent acknowledged)"
    )
    channel: str
    channel_reference: str
    amount_pence: int
    received_on: date


def each_balance_change(statements: Iterable[tuple[BalancesChanged, D]]) -> list[tuple[BalanceChanged, D]]:
    """Every change of these statements in the order billing posted them, each with the delivery that carried
    it (a consumer's batch of `BalancesChanged` is then handled as the balance changes it states)."""
    return [(change, delivery) for statement, delivery in statements for change in statement.changes]
