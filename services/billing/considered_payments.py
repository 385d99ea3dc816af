"""The write-off officer's decision on a payment billing held for consideration (issue 19; Derby App.1 §12), heard
as `writeoff.payment_for_consideration.decided` and applied once (`domain/payment_for_consideration.py`):
accepted, the payment recovers that much of the write-off (written back and paid; the debt stays closed as
written off, nothing referred) and any overpayment is offset or refunded; refunded, the held payment is repaid
to whoever paid it; reinstated, the write-off service's reinstatement applies the money (see write_offs). Who
decided, why and the rule applied are kept in `considered_payment`; the events go through the outbox.
"""

from __future__ import annotations

import structlog

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import DebtAccount, Movement, posting
from services.billing.domain.allocation import AllocationBasis
from services.billing.domain.balances import PostingKind
from services.billing.domain.payment_for_consideration import (
    ConsideredPayment,
    Outcome,
    apply_considered_payment,
)
from services.billing.payment_book import AllocationRow, payment_allocated
from services.billing.payments import refund_due, settle_credit
from services.billing.stores import BillingStores
from services.billing.stores.considered_payments import RecordedDecision
from services.billing.stores.payments import HeldPayment
from services.billing.write_offs import UnknownDebt
from shared.contracts.billing import PaymentForConsiderationApplied
from shared.contracts.envelope import Contract
from shared.contracts.writeoff import PaymentForConsiderationDecided
from shared.messaging.inbox_router import InboxRouter

log = structlog.get_logger("billing.considered_payments")

router = InboxRouter[BillingStores, Billing]()

REFUND_REASON = "repaid to the payer on the write-off officer's decision (payment for consideration)"
RECOVERED_LINE = "recovered_after_write_off"

_STATUS_TAKEN: dict[str, str] = {Outcome.ACCEPTED: "allocated", Outcome.REFUNDED: "refunded"}


@router.handles(PaymentForConsiderationDecided)
async def payment_for_consideration_decided(
    decided: PaymentForConsiderationDecided, handling: BillingHandling
) -> None:
    """Apply the officer's decision to the payment held on the written-off debt, once."""
    stores = handling.stores
    account = (await stores.debts.named([decided.debt_id])).get(decided.debt_id)
    if account is None:
        raise UnknownDebt(f"payment {decided.payment_id} was decided for unknown debt {decided.debt_id}")
    # Only accepted and refunded take the payment off hold now; a reinstatement applies it itself.
    status = _STATUS_TAKEN.get(decided.outcome)
    held = (
        await stores.payments.take_held_payment(decided.payment_id, decided.debt_id, status)
        if status
        else None
    )
    applied = apply_considered_payment(
        decided.outcome,
        held.amount_pence if held else (decided.payment_pence if status is None else None),
        account.written_off_pence,
    )
    fresh = await stores.considered_payments.record(
        RecordedDecision(
            payment_id=decided.payment_id,
            write_off_id=decided.write_off_id,
            debt_id=decided.debt_id,
            outcome=str(applied.outcome),
            reason=decided.reason,
            decided_by=decided.decided_by,
            decided_on=decided.decided_on,
            rule=applied.rule,
            recovered_pence=applied.recovered_pence,
            overpaid_pence=applied.overpaid_pence,
            refunded_pence=applied.refund_pence,
        )
    )
    if not fresh:
        # The same decision announced twice under different event ids: the first applied it. (A payment taken
        # off hold above cannot be: this transaction rolls back with nothing moved.)
        if held is not None:
            raise RuntimeError(f"payment {decided.payment_id} was held although its decision is recorded")
        log.info("payment for consideration already decided; nothing more to do")
        return
    if held is None and status is not None:
        log.warning("payment for consideration is no longer held; the decision is recorded, nothing moved")
    events: list[Contract] = []
    if held is not None:
        events += await _move_money(handling, account, held, applied, decided)
    events.append(
        PaymentForConsiderationApplied(
            payment_id=decided.payment_id,
            debt_id=decided.debt_id,
            write_off_id=decided.write_off_id,
            outcome=str(applied.outcome),
            recovered_pence=applied.recovered_pence,
            overpaid_pence=applied.overpaid_pence,
            refunded_pence=applied.refund_pence,
            awaits_reinstatement=applied.awaits_reinstatement,
            moved_money=held is not None and applied.moves_money,
            decided_by=decided.decided_by,
            rule=applied.rule,
            applied_on=decided.decided_on,
        )
    )
    await handling.outbox.add_all(events)


async def _move_money(
    handling: BillingHandling,
    account: DebtAccount,
    held: HeldPayment,
    applied: ConsideredPayment,
    decided: PaymentForConsiderationDecided,
) -> list[Contract]:
    stores, on = handling.stores, decided.decided_on
    cause = str(held.payment_id)
    if applied.outcome is Outcome.REFUNDED:
        return await refund_due(
            stores, held.customer_id, held.payment_id, applied.refund_pence, on, REFUND_REASON
        )
    events: list[Contract] = []
    rows: list[AllocationRow] = []
    movements: list[Movement] = []
    if applied.recovered_pence:
        # Written back and paid in one: the line recovered, the payment on it, the balance back at nil.
        line = await stores.debts.add_line(account.debt_id, RECOVERED_LINE, on, applied.recovered_pence)
        rows.append(
            AllocationRow(
                account.debt_id, line, applied.recovered_pence, AllocationBasis.CUSTOMER_DIRECTION.value
            )
        )
        movements.append(
            Movement(
                posting(account.debt_id, PostingKind.WRITE_OFF_REVERSAL, applied.recovered_pence),
                on,
                str(decided.write_off_id),
            )
        )
        await stores.debts.write_back(account.debt_id, applied.recovered_pence)
    movements.append(
        Movement(
            posting(account.debt_id, PostingKind.PAYMENT, held.amount_pence),
            on,
            cause,
            tuple((r.line_number, -r.amount_pence) for r in rows),
        )
    )
    await stores.debts.post(movements)
    await stores.payments.allocate(held.payment_id, rows, applied.overpaid_pence)
    events.append(
        payment_allocated(
            held.payment_id,
            held.customer_id,
            held.channel,
            held.channel_reference,
            held.amount_pence,
            held.received_on,
            rows,
            applied.overpaid_pence,
        )
    )
    # Beyond what was written off, the payment left the debt in credit: offset where the law allows, else
    # refunded (Derby 11; reg 31 for council tax and rates), exactly as any other overpayment.
    events += await settle_credit(handling, account, applied.overpaid_pence, on, cause)
    return events
