"""The daily run, as of a business date: instalments falling due, and sundry interest and fees accrued.

Driven by `recovery.daily_run.requested` (published by the scheduler in production, by tests at will). Both
parts are set-based and idempotent: an instalment is marked when it falls due, and interest is accrued only for
days after the last accrued day, so a rerun for the same date does nothing more.
"""

from __future__ import annotations

from datetime import date

from services.billing.billing import Billing, BillingHandling
from services.billing.late_payment import accrue_late_payment_charges
from services.billing.stores import BillingStores
from shared.contracts.billing import InstalmentFellDue
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()


async def instalments_falling_due(handling: BillingHandling, as_of: date, chunk: int = 10_000) -> int:
    """Mark every instalment due by `as_of` and announce those with money still owed on them, a chunk at a time
    so a whole council's first run does not hold every event in memory at once. Returns how many were announced."""
    announced = 0
    while True:
        fallen = await handling.stores.debts.mark_falling_due(as_of, chunk)
        if not fallen:
            return announced
        events = [
            InstalmentFellDue(
                debt_id=line.debt_id,
                instalment_number=line.number,
                due_date=line.due_date,
                outstanding_pence=line.outstanding_pence,
            )
            for line in fallen
            if line.outstanding_pence > 0
        ]
        await handling.outbox.add_all(events)
        announced += len(events)


@router.handles(DailyRunRequested)
async def run_daily(run: DailyRunRequested, handling: BillingHandling) -> None:
    """Instalments due and late-payment charges, as of the run's business date."""
    await instalments_falling_due(handling, run.business_date)
    await handling.outbox.add_all(await accrue_late_payment_charges(handling, run.business_date))
