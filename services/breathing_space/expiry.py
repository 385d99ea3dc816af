"""Ending holds when a moratorium's period has passed, as of the business date.

A standard breathing space's last protected day is its start + 60 days; a crisis one's is treatment end + 30;
a cancellation, early end or expiry notice may bring it forward. Once the business date is past that day the
hold ends (`BreathingSpaceHoldEnded`). This runs on every `recovery.daily_run.requested` (as of that run's
date) and, between runs, as a background check against the business clock, so a hold ends even on a day no
run is requested. The background check also takes in again any document whose first attempt failed.
"""

from __future__ import annotations

from datetime import date

import structlog

from services.breathing_space.breathing_space_service import (
    BreathingSpace,
    BreathingSpaceHandling,
    breathing_space_router,
)
from services.breathing_space.intake import take_in_unprocessed
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from services.breathing_space.rounds import in_rounds
from services.breathing_space.stores import BreathingSpaceStores
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested

log = structlog.get_logger("breathing_space.expiry")

router = breathing_space_router()


async def end_due_moratoria(
    handling: BreathingSpaceHandling, today: date, causation: Envelope | None = None
) -> int:
    """End every hold whose moratorium's last protected day is before `today`; returns how many ended."""
    references = await handling.stores.moratoria.due_to_end(today)
    for reference in references:
        await bring_moratorium_up_to_date(handling, reference, today, causation=causation)
    return len(references)


@router.handles(DailyRunRequested)
async def daily_run(message: DailyRunRequested, handling: BreathingSpaceHandling) -> None:
    """The daily run: holds whose moratorium ended before the run's date end now."""
    await end_due_moratoria(handling, message.business_date, causation=handling.envelope)


async def check_for_ended_moratoria(service: BreathingSpace) -> None:
    """Background task: end due holds as of the business clock, and retry unsettled documents."""

    async def one_round() -> None:
        async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
            ended = await end_due_moratoria(handling, service.clock.today())
        if ended:
            log.info("holds ended by the expiry check", ended=ended)
        await take_in_unprocessed(service)

    await in_rounds(one_round, service.settings.expiry_check_interval, log, "expiry check failed")
