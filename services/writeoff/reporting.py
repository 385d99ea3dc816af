"""Write-off reports from the record: totals by financial year and debt area (the Leicester FOI question), by
reason and by band, as CSV or JSON."""

from __future__ import annotations

from enum import StrEnum

from services.writeoff.domain import (
    WriteOffRecord,
    render_csv,
    render_json,
    totals_by_band,
    totals_by_financial_year_and_area,
    totals_by_reason,
)


class ReportKind(StrEnum):
    """The reports the service produces."""

    YEAR_AND_AREA = "year-and-area"
    REASON = "reason"
    BAND = "band"


class ReportFormat(StrEnum):
    """How a report is written."""

    CSV = "csv"
    JSON = "json"


_TOTALS = {
    ReportKind.YEAR_AND_AREA: totals_by_financial_year_and_area,
    ReportKind.REASON: totals_by_reason,
    ReportKind.BAND: totals_by_band,
}


def render_report(records: list[WriteOffRecord], kind: ReportKind, output: ReportFormat) -> str:
    """The chosen totals of these records, as CSV or JSON text."""
    rows = _TOTALS[kind](records)
    return render_csv(rows) if output is ReportFormat.CSV else render_json(rows)
