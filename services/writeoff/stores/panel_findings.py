"""The independent panel's findings (`writeoff.panel_finding`): one per request, only ever added to."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import PanelFinding, PanelOutcome


def _finding(row: Row[tuple[object, ...]]) -> PanelFinding:
    found = row._mapping
    return PanelFinding(
        request_id=str(found["request_id"]),
        panel_date=found["panel_date"],
        members=tuple(found["members"]),
        reference=found["reference"],
        outcome=PanelOutcome(found["outcome"]),
        recorded_by=found["recorded_by"],
        recorded_at=found["recorded_at"],
        note=found["note"],
    )


class PanelFindingStore:
    """What the panel found about each request put to it."""

    _ADD = text(
        "INSERT INTO writeoff.panel_finding (finding_id, request_id, panel_date, members, reference, outcome, "
        "note, recorded_by, recorded_at) VALUES (:finding_id, :request_id, :panel_date, "
        "CAST(:members AS text[]), :reference, :outcome, :note, :recorded_by, :recorded_at) "
        "ON CONFLICT (request_id) DO NOTHING"
    )
    _OF_REQUESTS = text(
        "SELECT request_id, panel_date, members, reference, outcome, note, recorded_by, recorded_at "
        "FROM writeoff.panel_finding WHERE request_id = ANY(CAST(:request_ids AS uuid[]))"
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, finding: PanelFinding) -> bool:
        """Keep the panel's finding; False when one is already kept for the request (it is never replaced)."""
        result = await self.session.execute(
            self._ADD,
            {
                "finding_id": uuid4(),
                "request_id": UUID(finding.request_id),
                "panel_date": finding.panel_date,
                "members": list(finding.members),
                "reference": finding.reference,
                "outcome": str(finding.outcome),
                "note": finding.note,
                "recorded_by": finding.recorded_by,
                "recorded_at": finding.recorded_at,
            },
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def of_requests(self, request_ids: Iterable[UUID]) -> dict[str, PanelFinding]:
        """The finding kept for each of these requests that has one, by request id."""
        rows = await self.session.execute(self._OF_REQUESTS, {"request_ids": list(request_ids)})
        return {str(row.request_id): _finding(row) for row in rows}
