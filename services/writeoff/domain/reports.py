"""Write-off reports: totals by financial year and debt area (the Leicester FOI question, Leicester 6),
by reason and by band, as rows rendered to CSV or JSON text.

Pure functions: the caller decides where the text goes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from shared.money import Pence


def financial_year_of(day: date) -> str:
    """The council's financial year (1 April to 31 March) containing ``day``, written "2021/22"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True, slots=True)
class WriteOffRecord:
    """One approved write-off line, with any amount later reinstated by a payment."""

    debt_id: str
    council: str
    debt_area: str
    reason_code: str
    band: str
    written_off_pence: Pence
    written_off_on: date
    reinstated_pence: Pence = 0

    @property
    def financial_year(self) -> str:
        """The financial year the write-off was approved in."""
        return financial_year_of(self.written_off_on)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One row of a write-off report: the grouping columns and the totals for that group."""

    group: tuple[tuple[str, str], ...]
    lines: int
    written_off_pence: Pence
    reinstated_pence: Pence

    @property
    def net_written_off_pence(self) -> Pence:
        """Written off less reinstated."""
        return self.written_off_pence - self.reinstated_pence

    def as_dict(self) -> dict[str, str | int]:
        """The row as a flat mapping, grouping columns first."""
        row: dict[str, str | int] = dict(self.group)
        row.update(
            lines=self.lines,
            written_off_pence=self.written_off_pence,
            reinstated_pence=self.reinstated_pence,
            net_written_off_pence=self.net_written_off_pence,
            net_written_off_pounds=_pounds(self.net_written_off_pence),
        )
        return row


def _pounds(pence: Pence) -> str:
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{pennies:02d}"


def _totals(
    records: Iterable[WriteOffRecord],
    columns: tuple[str, ...],
    key: Callable[[WriteOffRecord], tuple[str, ...]],
) -> list[ReportRow]:
    groups: dict[tuple[str, ...], list[int]] = {}
    for record in records:
        totals = groups.setdefault(key(record), [0, 0, 0])
        totals[0] += 1
        totals[1] += record.written_off_pence
        totals[2] += record.reinstated_pence
    return [
        ReportRow(tuple(zip(columns, values, strict=True)), lines, written_off, reinstated)
        for values, (lines, written_off, reinstated) in sorted(groups.items())
    ]


def totals_by_financial_year_and_area(records: Iterable[WriteOffRecord]) -> list[ReportRow]:
    """Totals written off per financial year and debt area, ordered by year then area."""
    return _totals(records, ("financial_year", "debt_area"), lambda r: (r.financial_year, r.debt_area))


def totals_by_reason(records: Iterable[WriteOffRecord]) -> list[ReportRow]:
    """Totals written off per financial year and reason."""
    return _totals(records, ("financial_year", "reason"), lambda r: (r.financial_year, r.reason_code))


def totals_by_band(records: Iterable[WriteOffRecord]) -> list[ReportRow]:
    """Totals written off per financial year and approval band."""
    return _totals(records, ("financial_year", "band"), lambda r: (r.financial_year, r.band))


_TOTAL_COLUMNS = (
    "lines",
    "written_off_pence",
    "reinstated_pence",
    "net_written_off_pence",
    "net_written_off_pounds",
)


def render_csv(rows: Iterable[ReportRow]) -> str:
    """The rows as CSV text with a header line (empty text when there are no rows)."""
    rows = list(rows)
    if not rows:
        return ""
    columns = [name for name, _ in rows[0].group] + list(_TOTAL_COLUMNS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_dict())
    return out.getvalue()


def render_json(rows: Iterable[ReportRow]) -> str:
    """The rows as a JSON array of objects; amounts in integer pence plus the net in pounds as text."""
    return json.dumps([row.as_dict() for row in rows], indent=2)
