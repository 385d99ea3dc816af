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
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested

_FALLING_DUE = text(
    """
    UPDATE debt_line l SET fell_due_on = :as_of
    WHERE (l.debt_id, l.number) IN (
        SELECT due.debt_id, due.number FROM debt_line due JOIN debt d ON d.debt_id = due.debt_id
        WHERE due.kind = 'instalment' AND due.fell_due_on IS NULL AND due.due_date <= :as_of AND d.status = 'open'
        LIMIT :chunk)
    RETURNING l.debt_id, l.number, l.due_date, l.outstanding_pence
    """
)


async def instalments_falling_due(
    session: AsyncSession, as_of: date, envelope: Envelope, chunk: int = 10_000
) -> int:
    """Mark every instalment due by `as_of` and announce those with money still owed on them, a chunk at a time
    so a whole council's first run does not hold every event in memory at once. Returns how many were announced."""
    announced = 0
    while True:
        rows = (await session.execute(_FALLING_DUE, {"as_of": as_of, "chunk": chunk})).all()
        if not rows:
            return announced
        events = [
            InstalmentFellDue(
                debt_id=row.debt_id,
                instalment_number=row.number,
                due_date=row.due_date,
                outstanding_pence=row.outstanding_pence,
            )
            for row in rows
            if row.outstanding_pence > 0
        ]
        await runtime.outbox.add_all(session, events, causation=envelope)
        announced += len(events)


@runtime.inbox.handles(DailyRunRequested)
async def run_daily(session: AsyncSession, run: DailyRunRequested, envelope: Envelope) -> None:
    """Instalments due and late-payment charges, as of the run's business date."""
    await instalments_falling_due(session, run.business_date, envelope)
    await runtime.outbox.add_all(
        session, await accrue_late_payment_charges(session, run.business_date), causation=envelope
    )
