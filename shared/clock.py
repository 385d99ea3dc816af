"""The business clock: the one source of 'today' for every service.

Recovery steps and breathing space periods are dated, so tests and the demo must be able to say what day it is.
In production the clock follows the wall clock in Europe/London. It can be pinned with the BUSINESS_DATE
setting at start-up, or moved at run time by a `platform.clock.set` message that every service instance receives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_LONDON = ZoneInfo("Europe/London")


class BusinessClock:
    """Answers 'what is the business date?' and 'what time is it?' for one service instance."""

    def __init__(self, pinned: date | None = None) -> None:
        self._pinned = pinned

    def today(self) -> date:
        """The council's business date: the pinned date if set, else today's date in London."""
        if self._pinned is not None:
            return self._pinned
        return datetime.now(_LONDON).date()

    def now(self) -> datetime:
        """The current instant in UTC (timestamps are always real; only the business date is settable)."""
        return datetime.now(UTC)

    def pin(self, business_date: date | None) -> None:
        """Pin the business date (None returns to following the wall clock)."""
        self._pinned = business_date

    @property
    def pinned(self) -> date | None:
        return self._pinned


clock = BusinessClock()
"""The process-wide clock. Services import this one instance so a clock message moves them all."""
