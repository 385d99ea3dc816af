"""Arrangements kept or broken: payments towards them, and default detection in the daily run.

A missed instalment (the payments received by its due date plus the grace days fall short of every instalment due
so far) makes the whole balance due and recovery resumes where it paused (Sundry 7.4). The daily run finds the
broken arrangements with one set-based query; the domain's `detect_default` confirms each and says what is owed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from services.recovery.case_state import reschedule
from services.recovery.domain.arrangements import (
    ArrangedDebt,
    Arrangement,
    Instalment,
    ReceivedPayment,
    StandardFinancialStatement,
    detect_default,
)
from services.recovery.domain.debt_types import DebtType
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.stores import RecoveryStores
from services.recovery.stores.arrangements import PaymentTowards, StoredArrangement
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.instalments import StoredInstalmentPayment
from shared.contracts.billing import PaymentAllocated
from shared.contracts.recovery import ArrangementDefaulted
from shared.messaging.inbox_router import InboxRouter
from shared.money import format_pounds

router = InboxRouter[RecoveryStores, Recovery]()


def arrangement_of(stored: StoredArrangement) -> Arrangement:
    """The arrangement as the domain sees it."""
    terms = stored.terms
    return Arrangement(
        debts=tuple(
            ArrangedDebt(str(d.debt_id), DebtType(d.debt_type), d.amount_pence) for d in stored.cases
        ),
        instalments=tuple(Instalment(i.due_on, i.amount_pence) for i in stored.instalments),
        statement=StandardFinancialStatement(
            terms.monthly_income_pence,
            terms.monthly_expenditure_pence,
            terms.made_on,
            terms.statement_recorded_by,
        ),
        made_on=terms.made_on,
        affordable=terms.affordable,
        within_policy=terms.within_policy,
        note=terms.note,
    )


async def detect_arrangement_defaults(handling: RecoveryHandling, business_date: date) -> int:
    """Find and act on every arrangement broken as of the date; returns how many."""
    stores, service = handling.stores, handling.service
    grace = service.settings.arrangement_grace_days
    defaulted = 0
    for arrangement_id in await stores.arrangements.possibly_broken(business_date, grace):
        stored = await stores.arrangements.arrangement(arrangement_id)
        arrangement = arrangement_of(stored)
        payments = tuple(ReceivedPayment(p.received_on, p.amount_pence) for p in stored.payments)
        default = detect_default(arrangement, payments, business_date, grace_days=grace)
        if default is None:
            continue
        defaulted += 1
        case_ids = [c.case_id for c in stored.cases]
        number = arrangement.instalments.index(default.missed_instalment) + 1
        await stores.arrangements.defaulted(arrangement_id, business_date, number, default.whole_balance_due)
        await stores.cases.arrangement_defaulted(arrangement_id)
        await stores.record.append(
            [
                CaseEntry(
                    case_id,
                    business_date,
                    "arrangement_defaulted",
                    f"instalment {number} of {format_pounds(default.missed_instalment.amount)} due "
                    f"{default.missed_instalment.due_on.isoformat()} missed; the whole balance of "
                    f"{format_pounds(default.whole_balance_due)} is due and recovery resumes",
                )
                for case_id in case_ids
            ]
        )
        await reschedule(stores, service.policies, case_ids, business_date)
        await handling.outbox.add(
            ArrangementDefaulted(
                arrangement_id=arrangement_id,
                debt_ids=[c.debt_id for c in stored.cases],
                defaulted_on=business_date,
            )
        )
    return defaulted


@router.handles(PaymentAllocated)
async def payment_allocated(payment: PaymentAllocated, handling: RecoveryHandling) -> None:
    """Record payments on the case (every payment is part of the case record), and count those made towards a
    live arrangement for default detection."""
    by_debt: dict[UUID, int] = defaultdict(int)
    for allocation in payment.allocations:
        by_debt[allocation.debt_id] += allocation.amount_pence
    if not by_debt:
        return
    stores = handling.stores
    # The regulated path reads what was paid towards each instalment and when (money taken back is billing's
    # balance change, not a payment).
    await stores.instalments.add_payments(
        [
            StoredInstalmentPayment(
                a.debt_id,
                f"{payment.payment_id}:{n}",
                payment.received_on,
                a.amount_pence,
                a.instalment_number,
            )
            for n, a in enumerate(payment.allocations)
            if a.amount_pence > 0
        ]
    )
    cases = await stores.cases.debt_cases(list(by_debt))
    # A payment can end a default or pay what a notice asked: the regulated path's next date moves with it.
    with_instalments = await stores.cases.instalment_ledgers([case.debt_id for case in cases])
    if with_instalments:
        service = handling.service
        regulated = [case.case_id for case in cases if case.debt_id in with_instalments]
        await reschedule(stores, service.policies, regulated, service.clock.today())
    for case in cases:
        amount = by_debt[case.debt_id]
        await stores.record.append(
            [
                CaseEntry(
                    case.case_id,
                    payment.received_on,
                    "payment",
                    f"payment of {format_pounds(amount)} received ({payment.channel})",
                )
            ]
        )
        if case.arrangement_status == "live" and case.arrangement_id is not None:
            await stores.arrangements.add_payment(
                PaymentTowards(
                    payment.payment_id, case.arrangement_id, case.debt_id, payment.received_on, amount
                )
            )
