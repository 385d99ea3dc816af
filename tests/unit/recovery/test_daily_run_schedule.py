"""The daily run is requested every working day at the council's time, a missed one is caught up in date order,
and no date is ever requested twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from services.recovery.domain.daily_run_schedule import DailyRunSchedule

SIX_AM = DailyRunSchedule(run_at=time(6, 0))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_working_days_run_is_requested_once_its_time_has_come_in_england() -> None:
    # 1 June 2026 is a Monday; 05:30 UTC is 06:30 in British Summer Time.
    assert SIX_AM.runs_due(date(2026, 5, 29), at(2026, 6, 1, 4, 59)) == []
    assert SIX_AM.runs_due(date(2026, 5, 29), at(2026, 6, 1, 5, 0)) == [date(2026, 6, 1)]


def test_a_date_already_requested_is_never_requested_again() -> None:
    assert SIX_AM.runs_due(date(2026, 6, 1), at(2026, 6, 1, 18, 0)) == []


def test_weekends_and_bank_holidays_have_no_run_of_their_own() -> None:
    # Friday 22 May 2026 requested; Monday 25 May is the spring bank holiday.
    assert SIX_AM.runs_due(date(2026, 5, 22), at(2026, 5, 25, 12, 0)) == []
    assert SIX_AM.runs_due(date(2026, 5, 22), at(2026, 5, 26, 12, 0)) == [date(2026, 5, 26)]


def test_runs_missed_while_the_scheduler_was_down_are_caught_up_oldest_first() -> None:
    assert SIX_AM.runs_due(date(2026, 6, 1), at(2026, 6, 4, 9, 0)) == [
        date(2026, 6, 2),
        date(2026, 6, 3),
        date(2026, 6, 4),
    ]


def test_a_new_scheduler_starts_with_todays_run_and_never_replays_more_than_its_limit() -> None:
    assert SIX_AM.runs_due(None, at(2026, 6, 3, 9, 0)) == [date(2026, 6, 3)]
    assert DailyRunSchedule(time(6, 0), catch_up_days=2).runs_due(date(2026, 1, 5), at(2026, 6, 3, 9, 0)) == [
        date(2026, 6, 1),
        date(2026, 6, 2),
        date(2026, 6, 3),
    ]
