"""Arrangements kept or broken: payments towards them, and default detection in the daily run.

A missed instalment (the payments received by its due date plus the grace days fall short of every instalment due
so far) makes the whole balance due and recovery resumes where it paused (Sundry 7.4). The daily run finds the
broken arrangements with one set-based query; the domain's `detect_default` confirms each and says what is owed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.case_state import record, reschedule
from services.recovery.domain.arrangements import (
    ArrangedDebt,
    Arrangement,
    Instalment,
    ReceivedPayment,
    StandardFinancialStatement,
    detect_default,
)
from services.recovery.domain.debt_types import DebtType
from services.recovery.service import policies, recovery_settings, runtime
from shared.contracts.billing import PaymentAllocated
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import ArrangementDefaulted
from shared.money import format_pounds

_BROKEN = text(
    """
    WITH live AS (
        SELECT DISTINCT arrangement_id FROM recovery.recovery_case
         WHERE status = 'open' AND arrangement_status = 'live' AND arrangement_id IS NOT NULL
    )
    SELECT DISTINCT i.arrangement_id
      FROM recovery.arrangement_instalment i JOIN live ON live.arrangement_id = i.arrangement_id
     WHERE i.due_on + CAST(:grace AS integer) < :business_date
       AND i.owed_to_date_pence > (
            SELECT coalesce(sum(p.amount_pence), 0) FROM recovery.arrangement_payment p
             WHERE p.arrangement_id = i.arrangement_id AND p.received_on <= i.due_on + CAST(:grace AS integer))
    """
)


async def _arrangement(
    session: AsyncSession, arrangement_id: UUID
) -> tuple[Arrangement, list[UUID], list[UUID]]:
    """The arrangement as the domain sees it, with its cases and debts."""
    head = (
        await session.execute(
            text("SELECT * FROM recovery.arrangement WHERE arrangement_id = :id"), {"id": arrangement_id}
        )
    ).one()
    debts = (
        await session.execute(
            text(
                "SELECT d.case_id, d.debt_id, d.amount_pence, c.debt_type FROM recovery.arrangement_debt d "
                "JOIN recovery.recovery_case c ON c.case_id = d.case_id WHERE d.arrangement_id = :id"
            ),
            {"id": arrangement_id},
        )
    ).all()
    instalments = (
        await session.execute(
            text(
                "SELECT due_on, amount_pence FROM recovery.arrangement_instalment "
                "WHERE arrangement_id = :id ORDER BY number"
            ),
            {"id": arrangement_id},
        )
    ).all()
    arrangement = Arrangement(
        debts=tuple(ArrangedDebt(str(d.debt_id), DebtType(d.debt_type), d.amount_pence) for d in debts),
        instalments=tuple(Instalment(i.due_on, i.amount_pence) for i in instalments),
        statement=StandardFinancialStatement(
            head.monthly_income_pence,
            head.monthly_expenditure_pence,
            head.made_on,
            head.statement_recorded_by,
        ),
        made_on=head.made_on,
        affordable=head.affordable,
        within_policy=head.within_policy,
        note=head.note,
    )
    return arrangement, [d.case_id for d in debts], [d.debt_id for d in debts]


async def detect_arrangement_defaults(session: AsyncSession, business_date: date) -> int:
    """Find and act on every arrangement broken as of the date; returns how many."""
    grace = recovery_settings.arrangement_grace_days
    broken = [
        r.arrangement_id
        for r in await session.execute(_BROKEN, {"grace": grace, "business_date": business_date})
    ]
    defaulted = 0
    for arrangement_id in broken:
        arrangement, case_ids, debt_ids = await _arrangement(session, arrangement_id)
        payments = tuple(
            ReceivedPayment(p.received_on, p.amount_pence)
            for p in await session.execute(
                text(
                    "SELECT received_on, amount_pence FROM recovery.arrangement_payment "
                    "WHERE arrangement_id = :id"
                ),
                {"id": arrangement_id},
            )
        )
        default = detect_default(arrangement, payments, business_date, grace_days=grace)
        if default is None:
            continue
        defaulted += 1
        number = arrangement.instalments.index(default.missed_instalment) + 1
        await session.execute(
            text(
                "INSERT INTO recovery.arrangement_default (arrangement_id, defaulted_on, missed_instalment, "
                "whole_balance_due_pence) VALUES (:id, :day, :number, :due) ON CONFLICT DO NOTHING"
            ),
            {"id": arrangement_id, "day": business_date, "number": number, "due": default.whole_balance_due},
        )
        await session.execute(
            text(
                "UPDATE recovery.recovery_case SET arrangement_status = 'defaulted' "
                "WHERE arrangement_id = :id AND arrangement_status = 'live'"
            ),
            {"id": arrangement_id},
        )
        await record(
            session,
            [
                (
                    case_id,
                    business_date,
                    "arrangement_defaulted",
                    f"instalment {number} of {format_pounds(default.missed_instalment.amount)} due "
                    f"{default.missed_instalment.due_on.isoformat()} missed; the whole balance of "
                    f"{format_pounds(default.whole_balance_due)} is due and recovery resumes",
                )
                for case_id in case_ids
            ],
        )
        await reschedule(session, policies, case_ids, business_date)
        await runtime.outbox.add(
            session,
            ArrangementDefaulted(
                arrangement_id=arrangement_id, debt_ids=debt_ids, defaulted_on=business_date
            ),
        )
    return defaulted


@runtime.inbox.handles(PaymentAllocated)
async def payment_allocated(session: AsyncSession, payment: PaymentAllocated, envelope: Envelope) -> None:
    """Record payments on the case (every payment is part of the case record), and count those made towards a
    live arrangement for default detection."""
    by_debt: dict[UUID, int] = defaultdict(int)
    for allocation in payment.allocations:
        by_debt[allocation.debt_id] += allocation.amount_pence
    if not by_debt:
        return
    cases = (
        await session.execute(
            text(
                "SELECT case_id, debt_id, arrangement_id, arrangement_status FROM recovery.recovery_case "
                "WHERE debt_id = ANY(:ids)"
            ),
            {"ids": list(by_debt)},
        )
    ).all()
    for case in cases:
        amount = by_debt[case.debt_id]
        await record(
            session,
            [
                (
                    case.case_id,
                    payment.received_on,
                    "payment",
                    f"payment of {format_pounds(amount)} received ({payment.channel})",
                )
            ],
        )
        if case.arrangement_status == "live" and case.arrangement_id is not None:
            await session.execute(
                text(
                    "INSERT INTO recovery.arrangement_payment (payment_id, arrangement_id, debt_id, received_on, "
                    "amount_pence) VALUES (:payment_id, :arrangement_id, :debt_id, :received_on, :amount) "
                    "ON CONFLICT DO NOTHING"
                ),
                {
                    "payment_id": payment.payment_id,
                    "arrangement_id": case.arrangement_id,
                    "debt_id": case.debt_id,
                    "received_on": payment.received_on,
                    "amount": amount,
                },
            )
