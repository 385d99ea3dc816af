"""The daily run, as of a business date: instalments falling due, and sundry interest and fees accrued.

Driven by `recovery.daily_run.requested` (published by the scheduler in production, by tests at will). Both
parts are set-based and idempotent: an instalment is marked when it falls due, and interest is accrued only for
days after the last accrued day, so a rerun for the same date does nothing more.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.late_payment import accrue_late_payment_charges
from services.billing.service import runtime
from shared.contracts.billing import InstalmentFellDue
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.recovery import DailyRunRequested

_FALLING_DUE = text(
    """
    UPDATE debt_line l SET fell_due_on = :as_of
    FROM debt d
    WHERE l.debt_id = d.debt_id AND l.kind = 'instalment' AND l.fell_due_on IS NULL AND l.due_date <= :as_of
      AND d.status = 'open'
    RETURNING l.debt_id, l.number, l.due_date, l.outstanding_pence
    """
)


async def instalments_falling_due(session: AsyncSession, as_of: date) -> list[Contract]:
    """Mark every instalment due by `as_of`; announce those with money still owed on them."""
    rows = await session.execute(_FALLING_DUE, {"as_of": as_of})
    return [
        InstalmentFellDue(
            debt_id=row.debt_id,
            instalment_number=row.number,
            due_date=row.due_date,
            outstanding_pence=row.outstanding_pence,
        )
        for row in rows
        if row.outstanding_pence > 0
    ]


@runtime.inbox.handles(DailyRunRequested)
async def run_daily(session: AsyncSession, run: DailyRunRequested, envelope: Envelope) -> None:
    """Instalments due and late-payment charges, as of the run's business date."""
    events = await instalments_falling_due(session, run.business_date)
    events += await accrue_late_payment_charges(session, run.business_date)
    await runtime.outbox.add_all(session, events, causation=envelope)
