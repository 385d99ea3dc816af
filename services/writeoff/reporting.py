"""Write-off reports from the record: totals by financial year and debt area (the Leicester FOI question), by
reason and by band, as CSV or JSON."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

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


async def write_off_records(session: AsyncSession, council: str | None = None) -> list[WriteOffRecord]:
    """Every approved write-off (of one council, or all), with any amount later reinstated."""
    rows = await session.execute(
        text(
            "SELECT debt_id, council, debt_area, reason_code, band, amount_pence, written_off_on, reinstated_pence "
            "FROM writeoff.write_off WHERE CAST(:council AS text) IS NULL OR council = :council"
        ),
        {"council": council},
    )
    return [
        WriteOffRecord(
            debt_id=str(row.debt_id),
            council=row.council,
            debt_area=row.debt_area,
            reason_code=row.reason_code,
            band=row.band,
            written_off_pence=row.amount_pence,
            written_off_on=row.written_off_on,
            reinstated_pence=row.reinstated_pence,
        )
        for row in rows
    ]


def render_report(records: list[WriteOffRecord], kind: ReportKind, output: ReportFormat) -> str:
    """The chosen totals of these records, as CSV or JSON text."""
    rows = _TOTALS[kind](records)
    return render_csv(rows) if output is ReportFormat.CSV else render_json(rows)
