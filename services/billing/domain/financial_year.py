"""The council's financial year: 1 April to 31 March, named like '2024/25'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, named by the calendar year it starts in (2024 is 1 April 2024 - 31 March 2025)."""

    start_year: int

    @property
    def starts(self) -> date:
        """1 April of the start year."""
        return date(self.start_year, 4, 1)

    @property
    def ends(self) -> date:
        """31 March of the following year."""
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        """The year as councils print it, e.g. '2024/25'."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def contains(self, day: date) -> bool:
        """True when `day` falls within this financial year."""
        return self.starts <= day <= self.ends

    def previous(self) -> FinancialYear:
        """The financial year before this one."""
        return FinancialYear(self.start_year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Read '2024/25' or '2024' back into a FinancialYear."""
        head = label.strip().split("/")[0]
        return cls(int(head))


def financial_year_of(day: date) -> FinancialYear:
    """The financial year of `day`: January-March dates belong to the year that began the April before."""
    return FinancialYear(day.year if day.month >= 4 else day.year - 1)
