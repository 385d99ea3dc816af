"""The daily run on a schedule: recovery requests its own run at the council's time every working day and catches
up any it missed (services/recovery/domain/daily_run_schedule.py says when). The request goes through the outbox
like any event, so the run itself is the ordinary `recovery.daily_run.requested` handler.

It runs as a background task of every recovery process when `RECOVERY_DAILY_RUN_AT` is set (compose and the
local system), or once per invocation of `council-debt recovery request-due-daily-runs` (a Kubernetes CronJob);
either way the record of requested dates makes a second request for a date impossible.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time

import structlog
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.recovery.domain.daily_run_schedule import DailyRunSchedule
from services.recovery.recovery import Recovery
from services.recovery.stores.daily_run_requests import DailyRunRequestStore
from shared.contracts.recovery import DailyRunRequested

log = structlog.get_logger("recovery.daily_run_schedule")


class DailyRunScheduleSettings(BaseSettings):
    """`RECOVERY_DAILY_RUN_AT` (HH:MM, England) turns the in-process scheduler on; unset, runs are requested by
    a CronJob, an operator or a test."""

    model_config = SettingsConfigDict(env_prefix="RECOVERY_", extra="ignore")

    daily_run_at: time | None = None
    daily_run_catch_up_days: int = 10
    daily_run_check_seconds: float = 60.0


async def request_due_daily_runs(
    service: Recovery, schedule: DailyRunSchedule, *, requested_by: str, now: datetime | None = None
) -> list[date]:
    """Request, in one transaction, every daily run now due and not requested before; returns their dates."""
    async with service.runtime.transaction(DailyRunRequestStore, service) as handling:
        requests = handling.stores
        await requests.decide_alone()
        due = schedule.runs_due(await requests.last_requested(), now or datetime.now(UTC))
        claimed = await requests.claim(due, requested_by)
        await handling.outbox.add_all([DailyRunRequested(business_date=day) for day in claimed])
    if claimed:
        log.info("daily runs requested", dates=[day.isoformat() for day in claimed], by=requested_by)
    return claimed


async def daily_run_scheduler(service: Recovery, settings: DailyRunScheduleSettings) -> None:
    """Background task: check every minute whether a run is due, until the process stops."""
    assert settings.daily_run_at is not None
    schedule = DailyRunSchedule(settings.daily_run_at, settings.daily_run_catch_up_days)
    while True:
        try:
            await request_due_daily_runs(service, schedule, requested_by="recovery scheduler")
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database away: the next check catches up
            log.warning("daily run schedule not checked", reason=type(error).__name__)
        await asyncio.sleep(settings.daily_run_check_seconds)
