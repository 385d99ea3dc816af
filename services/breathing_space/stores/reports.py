"""Debts reported back to the Insolvency Service: the documents, and where each was written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class UnwrittenReport:
    """A report not yet written to the outbound folder."""

    report_reference: str
    document: str


@dataclass(frozen=True)
class ReportBack:
    """A report back as the status page lists it (debts by the council's reference)."""

    report_reference: str
    moratorium_reference: str
    reported_on: date
    written_to: str | None
    debts: list[str]


_COUNT = text("SELECT count(*) FROM debts_report WHERE moratorium_reference = :reference")
_ADD = text(
    "INSERT INTO debts_report (report_reference, moratorium_reference, reported_on, debt_ids, document) "
    "VALUES (:report, :reference, :reported_on, CAST(:debt_ids AS uuid[]), :document)"
)
_UNWRITTEN = text(
    "SELECT report_reference, document FROM debts_report WHERE written_at IS NULL "
    "ORDER BY recorded_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_WRITTEN = text("UPDATE debts_report SET written_to = :to, written_at = now() WHERE report_reference = :r")
_LATEST = text(
    """
    SELECT r.report_reference, r.moratorium_reference, r.reported_on, r.written_to,
           array_agg(h.creditor_reference ORDER BY h.creditor_reference)
    FROM debts_report r JOIN held_debt h ON h.reported_back_in = r.report_reference
    GROUP BY r.report_reference ORDER BY r.recorded_at DESC LIMIT :limit
    """
)


class DebtsReportStore:
    """The 'debts reported back' documents."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_for(self, moratorium_reference: str) -> int:
        """How many reports this moratorium has had (the next is numbered after them)."""
        return int((await self.session.execute(_COUNT, {"reference": moratorium_reference})).scalar_one())

    async def add(
        self,
        report_reference: str,
        moratorium_reference: str,
        reported_on: date,
        debt_ids: Sequence[UUID],
        document: str,
    ) -> None:
        """Record a report, for the outbound folder to write."""
        await self.session.execute(
            _ADD,
            {
                "report": report_reference,
                "reference": moratorium_reference,
                "reported_on": reported_on,
                "debt_ids": [str(i) for i in debt_ids],
                "document": document,
            },
        )

    async def unwritten(self, limit: int = 200) -> list[UnwrittenReport]:
        """Reports not yet written, oldest first, locked (another replica skips them)."""
        rows = await self.session.execute(_UNWRITTEN, {"limit": limit})
        return [UnwrittenReport(r, d) for r, d in rows]

    async def written(self, report_reference: str, written_to: str) -> None:
        """Note where a report was written."""
        await self.session.execute(_WRITTEN, {"to": written_to, "r": report_reference})

    async def latest(self, limit: int = 100) -> list[ReportBack]:
        """The latest reports back, newest first."""
        rows = await self.session.execute(_LATEST, {"limit": limit})
        return [ReportBack(r, m, on, to, list(debts)) for r, m, on, to, debts in rows]
