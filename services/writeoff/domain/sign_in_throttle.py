"""Repeated wrong passwords are throttled (issue 14): after a few failures for one approver, or from one client
address, further attempts are refused unchecked for an interval that doubles with each further failure; a
successful sign-in ends the approver's count.

Pure rules: the caller loads the counts, asks, and stores what comes back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class FailureCount:
    """Failed sign-ins counted for one approver or one client address, and any lock they earned."""

    failures: int = 0
    last_failed_at: datetime | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How many failures are allowed before a lock, and how long the locks are.

    The ``failures_to_lock``-th wrong password in a row locks for ``first_lock``, and each failure after
    that (once the lock has passed) doubles the lock up to ``longest_lock``. A count whose last failure is older than
    ``forget_after`` starts again from nothing, so an approver who mistyped last week is not locked today.
    """

    failures_to_lock: int
    first_lock: timedelta = timedelta(seconds=30)
    longest_lock: timedelta = timedelta(hours=1)
    forget_after: timedelta = timedelta(hours=24)

    def lock_after(self, failures: int) -> timedelta | None:
        """The lock earned by the `failures`-th consecutive failure, or None before `failures_to_lock`."""
        beyond = failures - self.failures_to_lock
        if beyond < 0:
            return None
        # Capping the exponent first keeps 2**n finite however many failures an attacker piles up.
        doubled = self.first_lock * 2 ** min(beyond, 32)
        return min(doubled, self.longest_lock)


# An approver gets five tries; an address (several people behind one office gateway) twenty.
PER_PERSON = ThrottlePolicy(failures_to_lock=5)
PER_CLIENT_ADDRESS = ThrottlePolicy(failures_to_lock=20)


def seconds_locked(count: FailureCount, now: datetime) -> int:
    """Whole seconds (rounded up) before another attempt is checked; 0 when it may be checked now."""
    if count.locked_until is None or count.locked_until <= now:
        return 0
    return max(1, math.ceil((count.locked_until - now).total_seconds()))


def after_failure(count: FailureCount, policy: ThrottlePolicy, now: datetime) -> FailureCount:
    """The count after one more wrong password at `now`, with the lock it earns."""
    stale = count.last_failed_at is None or now - count.last_failed_at > policy.forget_after
    failures = 1 if stale else count.failures + 1
    lock = policy.lock_after(failures)
    return FailureCount(failures=failures, last_failed_at=now, locked_until=now + lock if lock else None)
