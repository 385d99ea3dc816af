"""A breathing space hold as billing sees it: the days on which interest, fees and charges are frozen, and which
sums of the debt they are frozen on (the moratorium debt, not its ongoing liabilities: see
`breathing_space_scope`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BreathingSpaceHold:
    """A moratorium covering a debt from `starts` to `ends` inclusive; `ends` is None while it is in force.

    The start may be in the past: the Insolvency Service's notice can reach the council after the moratorium
    began, and protection runs from its start date, not from when billing heard of it.

    `ongoing_after`: sums of the debt falling due after this day are ongoing liabilities, which the hold does not
    freeze (None: the whole debt is the moratorium debt, held whole).
    """

    starts: date
    ends: date | None = None
    ongoing_after: date | None = None

    def covers(self, day: date) -> bool:
        """True when `day` falls within the moratorium."""
        return self.starts <= day and (self.ends is None or day <= self.ends)

    def protects_sum_due(self, due_date: date | None) -> bool:
        """True when a sum of the debt falling due on `due_date` is in the moratorium (None: a sum not known to
        be an ongoing liability, held as the moratorium debt)."""
        return self.ongoing_after is None or due_date is None or due_date <= self.ongoing_after


def is_frozen(day: date, holds: Iterable[BreathingSpaceHold]) -> bool:
    """True when any breathing space hold covers `day`, so nothing may be added to the debt for it."""
    return any(hold.covers(day) for hold in holds)
