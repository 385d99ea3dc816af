"""Compose's schedule for the letter jobs (deploy/compose/letter_schedule.py) keeps the CronJobs' times: the print
run at 19:00 England time Monday to Friday, the purge at 02:30 on the 1st, British Summer Time or not; a run missed
while the container was down starts when it comes back within its lateness, and one later than that waits."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from deploy.compose.letter_schedule import ENGLAND, Schedule, latest_due, next_due, parse

PRINT_RUN = Schedule(time(19, 0), frozenset(range(5)), late_by=timedelta(hours=4))
PURGE = Schedule(time(2, 30), day_of_month=1, late_by=timedelta(hours=24))


def england(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=ENGLAND)


def test_the_print_run_is_due_at_seven_in_the_evening_england_time_on_working_days_only() -> None:
    # Friday 4 December 2026, after the run: next is Monday 7th (GMT, so 19:00 UTC).
    assert next_due(PRINT_RUN, england(2026, 12, 4, 19, 0, 1)) == england(2026, 12, 7, 19, 0)
    # In summer 19:00 England is 18:00 UTC.
    summer = next_due(PRINT_RUN, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert summer.astimezone(UTC) == datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
    assert next_due(PRINT_RUN, england(2026, 12, 5, 20, 0)) == england(2026, 12, 7, 19, 0)  # Saturday


def test_the_purge_is_due_at_half_past_two_on_the_first_of_each_month() -> None:
    assert next_due(PURGE, england(2026, 12, 1, 2, 30)) == england(2027, 1, 1, 2, 30)
    assert next_due(PURGE, england(2026, 11, 15, 9, 0)) == england(2026, 12, 1, 2, 30)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (england(2026, 12, 4, 18, 59), None),  # not yet
        (england(2026, 12, 4, 19, 0), england(2026, 12, 4, 19, 0)),  # on time
        (
            england(2026, 12, 4, 22, 59),
            england(2026, 12, 4, 19, 0),
        ),  # down at 19:00, back by 23:00: runs late
        (england(2026, 12, 4, 23, 1), None),  # back after the 4 hours: waits for Monday
        (england(2026, 12, 5, 20, 0), None),  # Saturday: nothing due
    ],
)
def test_a_missed_print_run_starts_late_only_within_its_lateness(now: datetime, due: datetime | None) -> None:
    assert latest_due(PRINT_RUN, now) == due


def test_a_purge_missed_on_the_first_still_runs_the_same_day_and_not_the_next() -> None:
    assert latest_due(PURGE, england(2026, 12, 1, 20, 0)) == england(2026, 12, 1, 2, 30)
    assert latest_due(PURGE, england(2026, 12, 2, 3, 0)) is None


def test_the_command_line_gives_the_schedule_and_the_command_after_the_double_dash() -> None:
    schedule, command = parse(
        [
            "--at",
            "19:00",
            "--weekdays",
            "mon-fri",
            "--late-by",
            "240",
            "--",
            "council-debt",
            "recovery",
            "print-run",
        ]
    )
    assert schedule == PRINT_RUN and command == ["council-debt", "recovery", "print-run"]
    schedule, _ = parse(["--at", "02:30", "--day-of-month", "1", "--late-by", "1440", "--", "x"])
    assert schedule == PURGE
    with pytest.raises(SystemExit):
        parse(["--at", "02:30", "--day-of-month", "1", "--weekdays", "mon", "--", "x"])  # one or the other
