"""Possible matches queued for an officer, and the officer's decision."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.customer_matching import CandidateMatch


@dataclass(frozen=True)
class PendingMatch:
    """A possible match: its candidates (as queued: customer_id, score, reasons, exact) and any decision."""

    moratorium_reference: str
    explanation: str
    candidates: list[dict[str, Any]]
    queued_at: datetime
    decision: str | None


_QUEUE = text(
    "INSERT INTO pending_match (moratorium_reference, explanation, candidates) "
    "VALUES (:reference, :explanation, CAST(:candidates AS jsonb)) "
    "ON CONFLICT (moratorium_reference) DO NOTHING"
)
_FOR_DECISION = text(
    "SELECT moratorium_reference, explanation, candidates, queued_at, decision FROM pending_match "
    "WHERE moratorium_reference = :r FOR UPDATE"
)
_DECIDE = text(
    "UPDATE pending_match SET decision = :d, decided_by = :o, decided_at = now(), decision_reason = :why "
    "WHERE moratorium_reference = :r"
)
_UNDECIDED = text(
    "SELECT moratorium_reference, explanation, candidates, queued_at, decision FROM pending_match "
    "WHERE decision IS NULL ORDER BY queued_at"
)
_OVERDUE = text(
    "UPDATE pending_match SET alerted_at = now() WHERE decision IS NULL AND alerted_at IS NULL "
    "AND queued_at < now() - make_interval(secs => :age) RETURNING moratorium_reference"
)


class PendingMatchStore:
    """The officers' queue of possible matches."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(
        self, moratorium_reference: str, explanation: str, candidates: list[CandidateMatch]
    ) -> None:
        """Queue a possible match for an officer (once per moratorium)."""
        await self.session.execute(
            _QUEUE,
            {
                "reference": moratorium_reference,
                "explanation": explanation,
                "candidates": json.dumps(
                    [
                        {
                            "customer_id": c.customer_id,
                            "score": c.score,
                            "reasons": list(c.reasons),
                            "exact": c.exact,
                        }
                        for c in candidates
                    ]
                ),
            },
        )

    async def for_decision(self, moratorium_reference: str) -> PendingMatch | None:
        """The queued match, locked for an officer's decision; None when none is queued."""
        row = (await self.session.execute(_FOR_DECISION, {"r": moratorium_reference})).first()
        return None if row is None else PendingMatch(*row)

    async def decide(
        self, moratorium_reference: str, decision: str, officer: str, reason: str | None
    ) -> None:
        """Record the officer's decision (confirmed or rejected)."""
        await self.session.execute(
            _DECIDE, {"d": decision, "o": officer, "why": reason, "r": moratorium_reference}
        )

    async def undecided(self) -> list[PendingMatch]:
        """Possible matches no officer has decided, oldest first."""
        return [PendingMatch(*row) for row in await self.session.execute(_UNDECIDED)]

    async def first_alerts_for_waiting(self, longer_than: timedelta) -> list[str]:
        """Mark undecided matches queued longer than `longer_than` as alerted; the moratoria alerted now."""
        rows = await self.session.execute(_OVERDUE, {"age": int(longer_than.total_seconds())})
        return [r for (r,) in rows]
