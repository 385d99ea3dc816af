"""Compose's stand-in for a Kubernetes CronJob: runs one `council-debt` command at its time (England) for ever,
as `recovery-print-run` (19:00 Monday to Friday) and `recovery-purge-letters` (02:30 on the 1st) do in
deploy/compose.yaml, the schedules of deploy/kubernetes/letters.yaml.

A run missed while the container was down is started when it comes back, if it is no later than `--late-by`
minutes (the CronJob's startingDeadlineSeconds); a later one waits for the next time. Running a command twice for
one time is harmless: a print run prints nothing twice and a purge removes nothing twice, so a restart soon after a
run may repeat it and nothing else. Pure apart from `main` (the clock, sleeping and the command)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time as clock
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHECK_SECONDS = 60.0  # sleep at most this long, so a changed clock (or British Summer Time) is noticed


@dataclass(frozen=True)
class Schedule:
    """When a command runs: at `at` (England) on each weekday in `weekdays` (Monday 0), or on the `day_of_month`."""

    at: time
    weekdays: frozenset[int] = frozenset()
    day_of_month: int | None = None
    late_by: timedelta = timedelta(hours=4)

    def runs_on(self, day: date) -> bool:
        """The command runs on this day."""
        if self.day_of_month is not None:
            return day.day == self.day_of_month
        return day.weekday() in self.weekdays


def _at(schedule: Schedule, day: date) -> datetime:
    return datetime.combine(day, schedule.at, ENGLAND)


def latest_due(schedule: Schedule, now: datetime) -> datetime | None:
    """The last time the command was due at or before `now`, if no more than `late_by` ago (else None)."""
    today = now.astimezone(ENGLAND).date()
    for back in range(0, 32):
        day = today - timedelta(days=back)
        if schedule.runs_on(day) and _at(schedule, day) <= now:
            due = _at(schedule, day)
            return due if now - due <= schedule.late_by else None
    return None


def next_due(schedule: Schedule, now: datetime) -> datetime:
    """The first time the command is due after `now`."""
    today = now.astimezone(ENGLAND).date()
    for ahead in range(0, 366):
        day = today + timedelta(days=ahead)
        if schedule.runs_on(day) and _at(schedule, day) > now:
            return _at(schedule, day)
    raise ValueError(f"{schedule} never runs")


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon-fri' or 'mon,wed,fri' as weekday numbers (Monday 0)."""
    days: set[int] = set()
    for part in text.lower().split(","):
        first, _, last = part.strip().partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        days.update(range(start, end + 1))
    return frozenset(days)


def parse(argv: Sequence[str]) -> tuple[Schedule, list[str]]:
    """The schedule and the command from `--at HH:MM (--weekdays mon-fri | --day-of-month N) [--late-by MINUTES]
    -- command...`."""
    parser = argparse.ArgumentParser(prog="python -m deploy.compose.letter_schedule")
    parser.add_argument("--at", required=True, type=time.fromisoformat)
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--weekdays", type=parse_weekdays)
    when.add_argument("--day-of-month", type=int, choices=range(1, 29))
    parser.add_argument("--late-by", type=int, default=240, help="minutes a missed run may start late")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    schedule = Schedule(
        args.at, args.weekdays or frozenset(), args.day_of_month, timedelta(minutes=args.late_by)
    )
    return schedule, list(args.command)


def _log(event: str, **fields: object) -> None:
    # One JSON line, like every other process's log in production (LOG_FORMAT=json).
    line = {"event": event, "logger": "deploy.letter_schedule", "timestamp": datetime.now(UTC).isoformat()}
    print(json.dumps({**line, **fields}, default=str), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command at every time the schedule says, for ever."""
    schedule, command = parse(sys.argv[1:] if argv is None else argv)
    last_run: datetime | None = None
    _log("schedule started", command=command, next_due=next_due(schedule, datetime.now(UTC)))
    while True:
        now = datetime.now(UTC)
        due = latest_due(schedule, now)
        if due is not None and due != last_run:
            last_run = due
            _log("run started", command=command, due=due)
            result = subprocess.run(command, check=False)
            _log("run finished", command=command, due=due, exit_code=result.returncode)
            continue
        wait = (next_due(schedule, now) - now).total_seconds()
        clock.sleep(max(1.0, min(wait, CHECK_SECONDS)))


if __name__ == "__main__":
    main()
