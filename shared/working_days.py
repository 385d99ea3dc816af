"""The England and Wales working-day calendar: weekdays that are not bank holidays.

Recovery timetables count some periods in working days (RBWM: a council tax reminder within 15 working days),
so every service asks this one calendar rather than keeping its own list of holidays.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    """True on an England and Wales bank holiday (substitute days included)."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """True on Monday to Friday when it is not a bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted); negative counts go back."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the next one (a letter dated on a holiday goes next day)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
