"""Repeated wrong passwords are throttled: the fifth in a row locks, each further one locks for longer, up to a
limit; old failures are forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.writeoff.domain.sign_in_throttle import (
    PER_CLIENT_ADDRESS,
    PER_PERSON,
    FailureCount,
    after_failure,
    seconds_locked,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def failures(count: int, policy=PER_PERSON) -> FailureCount:  # type: ignore[no-untyped-def]
    result = FailureCount()
    for _ in range(count):
        result = after_failure(result, policy, NOW)
    return result


def test_an_approvers_fifth_wrong_password_in_a_row_locks_for_thirty_seconds() -> None:
    assert seconds_locked(failures(4), NOW) == 0
    assert seconds_locked(failures(5), NOW) == 30


def test_each_further_failure_doubles_the_lock_up_to_an_hour() -> None:
    assert [seconds_locked(failures(n), NOW) for n in (5, 6, 7, 8)] == [30, 60, 120, 240]
    assert seconds_locked(failures(40), NOW) == 3600
    assert seconds_locked(failures(10_000), NOW) == 3600


def test_a_client_addresss_twentieth_wrong_password_locks_it() -> None:
    assert seconds_locked(failures(19, PER_CLIENT_ADDRESS), NOW) == 0
    assert seconds_locked(failures(20, PER_CLIENT_ADDRESS), NOW) == 30


def test_a_lock_ends_when_its_time_has_passed() -> None:
    locked = failures(5)
    assert seconds_locked(locked, NOW + timedelta(seconds=29.5)) == 1
    assert seconds_locked(locked, NOW + timedelta(seconds=30)) == 0


def test_failures_a_day_old_are_forgotten() -> None:
    counted = failures(5)
    later = after_failure(counted, PER_PERSON, NOW + timedelta(hours=25))
    assert (later.failures, later.locked_until) == (1, None)
