"""Write-off postings and reinstatement (Derby App.1 §12), on the write-off service's decisions.

An approved write-off is posted against the income code the debt was raised to. The customer stays liable:
money arriving afterwards is held (see payments) until the write-off service reinstates the written-off amount,
when the held payment is applied to it and the unpaid remainder goes back to recovery.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

import structlog

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import DebtAccount, Movement, balance_events, posting
from services.billing.domain.allocation import CustomerDirection, allocate_payment
from services.billing.domain.balances import PostingKind
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.domain.debt_status import status_after_write_off
from services.billing.domain.overpayment import debts_a_payment_may_reach, rule_for_payment_surplus
from services.billing.domain.write_off import post_write_off
from services.billing.payment_book import allocation_rows, payment_allocated
from services.billing.payments import apply_to_debts, refund_due
from services.billing.stores import BillingStores
from services.billing.stores.write_offs import PostedWriteOff
from shared.contracts.billing import DebtReinstated, DebtWrittenOff
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.writeoff import WriteOffApproved, WriteOffReinstated
from shared.messaging.inbox_router import InboxRouter

log = structlog.get_logger("billing.write_offs")

router = InboxRouter[BillingStores, Billing]()


class UnknownDebt(LookupError):
    """A message names a debt billing has never raised: dead-lettered with this reason for an operator."""


@router.handles_batch(WriteOffApproved)
async def post_approved_write_offs(
    deliveries: list[tuple[WriteOffApproved, Envelope]], handling: BillingHandling
) -> None:
    """Post each approved amount (never more than is outstanding: money may have arrived since the request)
    against the debt's income code; a debt written off in full is closed as written off. A signed schedule
    arrives as thousands of lines at once, so a batch is posted in a handful of set-based statements."""
    stores = handling.stores
    loaded = await stores.debts.named(sorted({approved.debt_id for approved, _ in deliveries}))
    for approved, _ in deliveries:
        if approved.debt_id not in loaded:
            # The whole batch fails; the inbox then retries each line alone and dead-letters only this one.
            raise UnknownDebt(f"write-off {approved.write_off_id} is for unknown debt {approved.debt_id}")
    already_posted = await stores.write_offs.already_posted(
        [approved.write_off_id for approved, _ in deliveries]
    )
    ledger = WriteOffLedger(loaded)
    for approved, envelope in deliveries:
        if approved.write_off_id in already_posted:
            log.info("write-off already posted; nothing more to do", write_off_id=str(approved.write_off_id))
            continue
        already_posted.add(approved.write_off_id)
        ledger.post(approved, envelope)
    await stores.debts.post(ledger.movements)
    await stores.debts.add_written_off(ledger.written_off())
    await stores.write_offs.record(ledger.recorded)
    await handling.outbox.add_caused(ledger.events)


class WriteOffLedger:
    """The write-offs of one batch, worked out against the debts as the batch leaves them (two lines for one
    debt see each other)."""

    def __init__(self, loaded: dict[UUID, DebtAccount]) -> None:
        self.accounts = dict(loaded)
        self.movements: list[Movement] = []
        self.recorded: list[PostedWriteOff] = []
        self.events: list[tuple[Contract, Envelope | None]] = []

    def post(self, approved: WriteOffApproved, envelope: Envelope) -> None:
        """Work out one approval's posting, the debt as it leaves it, and its events."""
        account = self.accounts[approved.debt_id]
        outstanding = account.position.outstanding_pence
        amount = min(approved.amount_pence, outstanding)
        if amount <= 0:
            log.warning("write-off approved for a debt with nothing outstanding; nothing posted")
            self.recorded.append(PostedWriteOff(approved, 0))
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
            status=status_after_write_off(account.status, balance),
            lines=tuple(
                replace(line, outstanding_pence=line.outstanding_pence - taken.get(line.number, 0))
                for line in account.lines
                if line.outstanding_pence - taken.get(line.number, 0) > 0
            ),
        )
        self.recorded.append(PostedWriteOff(approved, write_off.amount_pence))
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

    def written_off(self) -> dict[UUID, int]:
        """What the batch writes off on each debt."""
        amounts: dict[UUID, int] = {}
        for movement in self.movements:
            debt_id = UUID(movement.posting.debt_id)
            amounts[debt_id] = amounts.get(debt_id, 0) + movement.posting.amount_pence
        return amounts


@router.handles(WriteOffReinstated)
async def reinstate_written_off_debt(reinstated: WriteOffReinstated, handling: BillingHandling) -> None:
    """Reinstate the written-off amount (never more than is still written off) and apply the payments held
    for the debt: the balance is then what was written off less what was paid."""
    # Only the payment the reinstatement names and any decided reinstated are applied (issue 19): another held
    # for consideration waits for the officer's decision on it.
    stores = handling.stores
    account = (await stores.debts.named([reinstated.debt_id])).get(reinstated.debt_id)
    if account is None:
        raise UnknownDebt(f"reinstatement {reinstated.write_off_id} is for unknown debt {reinstated.debt_id}")
    amount = min(reinstated.reinstated_pence, account.written_off_pence)
    on = reinstated.reinstated_on
    events: list[Contract] = []
    if amount > 0:
        await stores.debts.add_line(account.debt_id, "reinstatement", on, amount)
        balances = await stores.debts.post(
            [
                Movement(
                    posting(account.debt_id, PostingKind.WRITE_OFF_REVERSAL, amount),
                    on,
                    str(reinstated.write_off_id),
                )
            ]
        )
        await stores.debts.reinstate(account.debt_id, amount)
        await stores.write_offs.add_reinstated(reinstated.write_off_id, amount)
        events += [
            DebtReinstated(
                debt_id=account.debt_id,
                write_off_id=reinstated.write_off_id,
                reinstated_pence=amount,
                reinstated_on=on,
            ),
            *balance_events(account, balances[account.debt_id], amount, "reinstatement", on),
        ]
    events += await _apply_held_payments(handling, account.debt_id, on, reinstated.payment_id)
    await handling.outbox.add_all(events)


async def _apply_held_payments(
    handling: BillingHandling, debt_id: UUID, on: date, payment_id: UUID | None
) -> list[Contract]:
    """Apply the held payments the reinstatement releases: the one it names and any the write-off officer
    decided reinstated (issue 19); a payment still awaiting the officer's decision stays held."""
    stores = handling.stores
    events: list[Contract] = []
    for payment in await stores.payments.release_held(debt_id, payment_id):
        # Directed to the reinstated debt first; anything beyond it goes down the hierarchy of the customer's
        # other debts, and only a true surplus is refunded; beyond council tax or rates, only that tax's later
        # liability, else refunded (reg 31).
        customer_debts = (
            await stores.debts.of_customer(payment.customer_id)
            if payment.customer_id
            else list((await stores.debts.named([debt_id])).values())
        )
        by_id = {a.debt_id: a for a in customer_debts}
        owed = [a for a in customer_debts if a.is_open and a.lines]
        # as on the day it was paid: in a breathing space, the ongoing liabilities before the frozen arrears
        holds = await stores.holds.by_debt([a.debt_id for a in customer_debts])
        received = payment.received_on
        paid_to = [by_id[debt_id].position_on(received, holds.get(debt_id, ()))] if debt_id in by_id else []
        allocation = allocate_payment(
            payment.amount_pence,
            debts_a_payment_may_reach(
                [a.position_on(received, holds.get(a.debt_id, ())) for a in owed],
                paid_to,
                handling.service.rules,
            ),
            payment.received_on,
            [CustomerDirection(str(debt_id))],
            handling.service.rules,
        )
        rows = allocation_rows(allocation.allocations)
        await stores.payments.allocate(payment.payment_id, rows, allocation.unallocated_pence)
        events.append(
            payment_allocated(
                payment.payment_id,
                payment.customer_id,
                payment.channel,
                payment.channel_reference,
                payment.amount_pence,
                payment.received_on,
                rows,
                allocation.unallocated_pence,
            )
        )
        events += await apply_to_debts(stores, rows, by_id, PostingKind.PAYMENT, on, str(payment.payment_id))
        if allocation.unallocated_pence:
            events += await refund_due(
                stores,
                payment.customer_id,
                payment.payment_id,
                allocation.unallocated_pence,
                handling.service.clock.today(),
                rule=rule_for_payment_surplus(paid_to, handling.service.rules),
            )
    return events
