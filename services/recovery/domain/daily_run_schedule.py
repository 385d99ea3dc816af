"""When the daily recovery run is due: every working day, at the council's configured time in England.

Reminders, final notices and summonses are dated by the daily run, so a run that never happens means letters the
law requires are never sent, and a run missed (the scheduler down over a weekend, a deployment at the wrong
moment) must be caught up in date order. A run is never requested twice for one date. Weekends and bank holidays
have no run of their own: the next working day's run takes every step due by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.working_days import is_working_day

ENGLAND = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DailyRunSchedule:
    """The council's daily run time (local time in England) and how far back a missed run is caught up."""

    run_at: time
    catch_up_days: int = 10

    def runs_due(self, last_requested: date | None, now: datetime) -> list[date]:
        """The business dates whose run should be requested now, oldest first: every working day after the last
        one requested, up to today once the run time has passed (yesterday before it); never more than
        `catch_up_days` back, so a scheduler started on a new system does not replay its history."""
        local = now.astimezone(ENGLAND)
        latest = local.date() if local.time() >= self.run_at else local.date() - timedelta(days=1)
        earliest = latest - timedelta(days=self.catch_up_days)
        first = max(last_requested + timedelta(days=1), earliest) if last_requested else latest
        days = (first + timedelta(days=n) for n in range((latest - first).days + 1))
        return [day for day in days if is_working_day(day)]
