"""The periods management information is reported for: each month of a financial year (figures to its last
day, cumulative from the start of the year) and the year itself (to 31 March)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from services.billing.domain.financial_year import FinancialYear, financial_year_of


@dataclass(frozen=True)
class ReportingPeriod:
    """A month of a financial year, or the whole year: figures are as at `ends`."""

    financial_year: FinancialYear
    label: str
    ends: date


def month_end(year: int, month: int) -> date:
    """The last day of the month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def month_period(year: int, month: int) -> ReportingPeriod:
    """The month (e.g. 2026, 5 for May 2026) within its financial year."""
    ends = month_end(year, month)
    return ReportingPeriod(financial_year_of(ends), f"{year:04d}-{month:02d}", ends)


def parse_month(text: str) -> ReportingPeriod:
    """A month named 'YYYY-MM' (ValueError otherwise)."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return month_period(year, month)
    except (TypeError, ValueError):
        raise ValueError(f"a month looks like 2026-05, not {text!r}") from None


def year_period(year: FinancialYear) -> ReportingPeriod:
    """The whole financial year, as at 31 March."""
    return ReportingPeriod(year, year.label, year.ends)


def months_of(year: FinancialYear, up_to: date | None = None) -> list[ReportingPeriod]:
    """April to March of the year; with `up_to`, only the months that have begun by then."""
    months = [month_period(year.start_year + (m < 4), m) for m in (*range(4, 13), 1, 2, 3)]
    if up_to is None:
        return months
    return [m for m in months if date(m.ends.year, m.ends.month, 1) <= up_to]


def three_months_before(day: date) -> date:
    """The same day three calendar months earlier (the month's last day where that month is shorter)."""
    year, month = (day.year, day.month - 3) if day.month > 3 else (day.year - 1, day.month + 9)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
