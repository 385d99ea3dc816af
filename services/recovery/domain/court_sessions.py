"""The magistrates' court's liability order hearings a council's summonses are issued for (its policy file's
`court:` block), and which hearing a summons issued on a day goes to.

The law, as applied here:
- CT reg 35(2) (and the 1989 Regulations for rates): a summons may be served by post; by the Interpretation Act
  1978 s7 it is served when it would be delivered in the ordinary course of post, taken as the second working day
  after posting for first class post (the fourth for second class): the council's `summons_served_after_working_days`.
- CT reg 35(2A): no liability order is made unless 14 days have elapsed since the day the summons was served, so
  the hearing is on the 15th day after service at the earliest.

A summons is issued for the first configured hearing on or after that day; with no such hearing the summons is
not issued (never a summons without a hearing). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import IntEnum

from shared.working_days import add_working_days

DAYS_TO_ELAPSE_AFTER_SERVICE = 14  # CT reg 35(2A)
FIRST_CLASS_POST_WORKING_DAYS = 2  # Interpretation Act 1978 s7, as the courts take first class post


class Weekday(IntEnum):
    """Days of the week, as a policy file names them."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


@dataclass(frozen=True, order=True)
class Hearing:
    """One liability order hearing: the day and the time the court sits."""

    on: date
    at: time


@dataclass(frozen=True)
class WeeklyHearings:
    """A hearing every `every_weeks` weeks on a weekday at a time, from one date through another."""

    weekday: Weekday
    at: time
    starts: date
    ends: date
    every_weeks: int = 1

    def first_on_or_after(self, day: date) -> Hearing | None:
        """The first of these hearings on or after `day`, or None when they have ended by then."""
        first = self.starts + timedelta(days=(self.weekday - self.starts.weekday()) % 7)
        if day <= first:
            candidate = first
        else:
            period = 7 * self.every_weeks
            candidate = first + timedelta(days=-(-(day - first).days // period) * period)
        return Hearing(candidate, self.at) if candidate <= self.ends else None


@dataclass(frozen=True)
class CourtSessions:
    """The court a council's summonses go to and its liability order hearings."""

    court_name: str
    court_address: str
    hearings: tuple[Hearing, ...] = ()
    weekly: tuple[WeeklyHearings, ...] = ()
    summons_served_after_working_days: int = FIRST_CLASS_POST_WORKING_DAYS

    def served_on(self, issued_on: date) -> date:
        """The day a summons posted on `issued_on` is served (delivered in the ordinary course of post)."""
        return add_working_days(issued_on, self.summons_served_after_working_days)

    def earliest_hearing_day(self, issued_on: date) -> date:
        """The first day a liability order may be made on a summons issued on `issued_on` (reg 35(2A))."""
        return self.served_on(issued_on) + timedelta(days=DAYS_TO_ELAPSE_AFTER_SERVICE + 1)

    def hearing_for(self, issued_on: date) -> Hearing | None:
        """The first configured hearing at least the law's days after the summons is served, or None."""
        earliest = self.earliest_hearing_day(issued_on)
        candidates = [h for h in self.hearings if h.on >= earliest]
        candidates += [h for w in self.weekly if (h := w.first_on_or_after(earliest)) is not None]
        return min(candidates, default=None)


@dataclass(frozen=True)
class SummonsHearing:
    """What a summons says of its hearing: the court, where it sits, the day and time, and the costs claimed."""

    court_name: str
    court_address: str
    hearing: Hearing
    served_on: date
    costs_claimed: int


def summons_hearing(court: CourtSessions, issued_on: date, costs_claimed: int) -> SummonsHearing | None:
    """The hearing a summons issued on `issued_on` is for, with the costs it claims; None when no hearing is
    configured far enough ahead (the summons must then wait)."""
    hearing = court.hearing_for(issued_on)
    if hearing is None:
        return None
    return SummonsHearing(
        court.court_name, court.court_address, hearing, court.served_on(issued_on), costs_claimed
    )
