"""The council's review requests (reg 17): each request, its outbound document, and where it was written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.stores.reports import UnwrittenReport


@dataclass(frozen=True)
class ReviewRequest:
    """One review request as the status page and the moratorium page show it (no personal data)."""

    request_reference: str
    moratorium_reference: str
    requested_on: date
    deadline: date
    grounds: list[str]
    evidence_references: list[str]
    debt_ids: list[UUID]
    requested_by: str
    written_to: str | None


@dataclass(frozen=True)
class NewReviewRequest:
    """A review request to record, with its rendered outbound document."""

    request_reference: str
    moratorium_reference: str
    requested_on: date
    deadline: date
    grounds: Sequence[str]
    evidence_references: Sequence[str]
    debt_ids: Sequence[UUID]
    requested_by: str
    document: str


_COUNT = text("SELECT count(*) FROM creditor_review_request WHERE moratorium_reference = :r")
_ADD = text(
    "INSERT INTO creditor_review_request (request_reference, moratorium_reference, requested_on, deadline, "
    "grounds, evidence_references, debt_ids, requested_by, document) VALUES (:ref, :r, :on, :deadline, "
    "CAST(:grounds AS text[]), CAST(:evidence AS text[]), CAST(:debts AS uuid[]), :by, :document)"
)
_OF = text(
    "SELECT request_reference, moratorium_reference, requested_on, deadline, grounds, evidence_references, "
    "debt_ids, requested_by, written_to FROM creditor_review_request "
    "WHERE moratorium_reference = ANY(CAST(:refs AS text[])) ORDER BY recorded_at"
)
_UNWRITTEN = text(
    "SELECT request_reference, document FROM creditor_review_request WHERE written_at IS NULL "
    "ORDER BY recorded_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_WRITTEN = text(
    "UPDATE creditor_review_request SET written_to = :to, written_at = now() WHERE request_reference = :r"
)


class ReviewRequestStore:
    """Review requests the council sent."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_for(self, moratorium_reference: str) -> int:
        """How many review requests this moratorium has had (the next is numbered after them)."""
        return int((await self.session.execute(_COUNT, {"r": moratorium_reference})).scalar_one())

    async def add(self, request: NewReviewRequest) -> None:
        """Record a request, for the outbound folder to write."""
        await self.session.execute(
            _ADD,
            {
                "ref": request.request_reference,
                "r": request.moratorium_reference,
                "on": request.requested_on,
                "deadline": request.deadline,
                "grounds": list(request.grounds),
                "evidence": list(request.evidence_references),
                "debts": [str(d) for d in request.debt_ids],
                "by": request.requested_by,
                "document": request.document,
            },
        )

    async def of(self, moratorium_references: Sequence[str]) -> list[ReviewRequest]:
        """The review requests of these moratoria, oldest first."""
        rows = await self.session.execute(_OF, {"refs": list(moratorium_references)})
        return [
            ReviewRequest(ref, m, on, deadline, list(g), list(e), list(d), by, to)
            for ref, m, on, deadline, g, e, d, by, to in rows
        ]

    async def unwritten(self, limit: int = 200) -> list[UnwrittenReport]:
        """Requests not yet written to the outbound folder, oldest first, locked (another replica skips them)."""
        rows = await self.session.execute(_UNWRITTEN, {"limit": limit})
        return [UnwrittenReport(r, d) for r, d in rows]

    async def written(self, request_reference: str, written_to: str) -> None:
        """Note where a request was written."""
        await self.session.execute(_WRITTEN, {"to": written_to, "r": request_reference})
