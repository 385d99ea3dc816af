"""Ending holds when a moratorium's period has passed, as of the business date.

A standard breathing space's last protected day is its start + 60 days; a crisis one's is treatment end + 30;
a cancellation, early end or expiry notice may bring it forward. Once the business date is past that day the
hold ends (`BreathingSpaceHoldEnded`). This runs on every `recovery.daily_run.requested` (as of that run's
date) and, between runs, as a background check against the business clock, so a hold ends even on a day no
run is requested. The background check also takes in again any document whose first attempt failed.
"""

from __future__ import annotations

import asyncio
from datetime import date

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.intake import take_in_unprocessed
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from services.breathing_space.service import configuration, runtime
from shared.clock import clock
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.runtime import ServiceRuntime

log = structlog.get_logger("breathing_space.expiry")


async def end_due_moratoria(session: AsyncSession, today: date, causation: Envelope | None = None) -> int:
    """End every hold whose moratorium's last protected day is before `today`; returns how many ended."""
    due = await session.execute(
        text(
            "SELECT moratorium_reference FROM moratorium WHERE NOT hold_ended AND hold_started "
            "AND end_date < :today ORDER BY moratorium_reference"
        ),
        {"today": today},
    )
    references = [r[0] for r in due]
    for reference in references:
        await bring_moratorium_up_to_date(session, reference, today, causation=causation)
    return len(references)


@runtime.inbox.handles(DailyRunRequested)
async def daily_run(session: AsyncSession, message: DailyRunRequested, envelope: Envelope) -> None:
    """The daily run: holds whose moratorium ended before the run's date end now."""
    await end_due_moratoria(session, message.business_date, causation=envelope)


async def check_for_ended_moratoria(runtime: ServiceRuntime) -> None:
    """Background task: end due holds as of the business clock, and retry unsettled documents."""
    while True:
        try:
            async with runtime.database.transaction() as session:
                ended = await end_due_moratoria(session, clock.today())
            if ended:
                log.info("holds ended by the expiry check", ended=ended)
            await take_in_unprocessed()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database may be briefly away; the next round tries again
            log.warning("expiry check failed", reason=str(error))
        await asyncio.sleep(configuration.expiry_check_interval.total_seconds())


runtime.background.append(check_for_ended_moratoria)
