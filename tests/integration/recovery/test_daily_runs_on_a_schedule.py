"""Recovery requests its own daily run on a schedule: once a working day at the council's time, a missed run caught
up in date order, never twice for a date even with two schedulers at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time

from services.recovery.bootstrap import bootstrap
from services.recovery.daily_run_schedule import request_due_daily_runs
from services.recovery.domain.daily_run_schedule import DailyRunSchedule
from tests.council_bus import fetch_value

SCHEDULE = DailyRunSchedule(run_at=time(6, 30), catch_up_days=30)


async def _requests_in_outbox(day: date) -> int:
    return await fetch_value(
        "SELECT count(*) FROM recovery.outbox WHERE routing_key = 'recovery.daily_run.requested' "
        "AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'business_date' = $1",
        day.isoformat(),
    )


async def test_each_working_day_is_requested_once_and_missed_days_are_caught_up() -> None:
    recovery = bootstrap()
    # A date of its own, far from any other test's, with nothing requested after it.
    await fetch_value("DELETE FROM recovery.daily_run_request WHERE business_date >= '2031-03-03'")
    await fetch_value("INSERT INTO recovery.daily_run_request VALUES ('2031-03-03', now(), 'test') ")
    try:
        # Thursday 6 March 2031, 09:00: Tuesday, Wednesday and Thursday are due, oldest first.
        thursday = datetime(2031, 3, 6, 9, 0, tzinfo=UTC)
        first, second = await asyncio.gather(
            request_due_daily_runs(recovery, SCHEDULE, requested_by="scheduler a", now=thursday),
            request_due_daily_runs(recovery, SCHEDULE, requested_by="scheduler b", now=thursday),
        )
        assert sorted([*first, *second]) == [date(2031, 3, 4), date(2031, 3, 5), date(2031, 3, 6)]
        assert [] in (first, second)  # one scheduler decided; the other found nothing left to request
        for day in (date(2031, 3, 4), date(2031, 3, 5), date(2031, 3, 6)):
            assert await _requests_in_outbox(day) == 1
        # Later the same day, and over the weekend: nothing more until Monday's run time.
        assert await request_due_daily_runs(
            recovery, SCHEDULE, requested_by="a", now=datetime(2031, 3, 8, 12, 0, tzinfo=UTC)
        ) == [date(2031, 3, 7)]
        assert (
            await request_due_daily_runs(
                recovery, SCHEDULE, requested_by="a", now=datetime(2031, 3, 10, 6, 0, tzinfo=UTC)
            )
            == []
        )
    finally:
        # Withdraw the requests unrelayed: a run for 2031 would otherwise reach a later test's cases.
        await fetch_value(
            "DELETE FROM recovery.outbox WHERE routing_key = 'recovery.daily_run.requested' "
            "AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'business_date' >= '2031-03-03'"
        )
        await fetch_value("DELETE FROM recovery.daily_run_request WHERE business_date >= '2031-03-03'")
        await recovery.runtime.database.dispose()
