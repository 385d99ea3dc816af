"""A breathing space hold as billing sees it: the days on which interest, fees and charges are frozen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BreathingSpaceHold:
    """A moratorium covering a debt from `starts` to `ends` inclusive; `ends` is None while it is in force.

    The start may be in the past: the Insolvency Service's notice can reach the council after the moratorium
    began, and protection runs from its start date, not from when billing heard of it.
    """

    starts: date
    ends: date | None = None

    def covers(self, day: date) -> bool:
        """True when `day` falls within the moratorium."""
        return self.starts <= day and (self.ends is None or day <= self.ends)


def is_frozen(day: date, holds: Iterable[BreathingSpaceHold]) -> bool:
    """True when any breathing space hold covers `day`, so nothing may be added to the debt for it."""
    return any(hold.covers(day) for hold in holds)
