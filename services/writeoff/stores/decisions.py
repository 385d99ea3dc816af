"""Decisions on schedules (`writeoff.schedule_decision`) and refused attempts (`writeoff.refused_decision`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import Refusal


@dataclass(frozen=True, slots=True)
class RecordedDecision:
    """A schedule's decision as kept: who decided, under what authority, over which hash, and the totals."""

    schedule_id: UUID
    kind: str  # signature | committee
    decided_by: str
    roles: tuple[str, ...]
    authority_band: str
    required_band: str
    presented_hash: str
    approved_lines_hash: str
    statement_of_no_interest: str | None
    committee: str | None
    meeting_reference: str | None
    meeting_date: date | None
    interests_declared_at_meeting: str | None
    approved_lines: int
    approved_total_pence: int
    rejected_lines: int
    rejected_total_pence: int
    decided_at: datetime
    decided_on: date
    # Split debts whose combined sum decided the band: request ids, combined sum and why (domain.split_debts).
    split_debts: tuple[dict[str, object], ...] = ()


class DecisionStore:
    """Decisions and refused attempts to decide."""

    _RECORD = text(
        """
        INSERT INTO writeoff.schedule_decision (schedule_id, kind, decided_by, roles, authority_band,
            required_band, presented_hash, approved_lines_hash, statement_of_no_interest, committee,
            meeting_reference, meeting_date, interests_declared_at_meeting, approved_lines,
            approved_total_pence, rejected_lines, rejected_total_pence, decided_at, decided_on, split_debts)
        VALUES (:schedule_id, :kind, :decided_by, CAST(:roles AS json), :authority, :required_band,
            :presented_hash, :approved_lines_hash, :statement, :committee, :meeting_reference, :meeting_date,
            :interests, :approved_lines, :approved_total, :rejected_lines, :rejected_total, :decided_at,
            :decided_on, CAST(:split_debts AS json))
        """
    )
    _REFUSED = text(
        "INSERT INTO writeoff.refused_decision (schedule_id, person_id, refusals) "
        "VALUES (:schedule_id, :person_id, CAST(:refusals AS json))"
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, decision: RecordedDecision) -> None:
        """Keep the decision."""
        await self.session.execute(
            self._RECORD,
            {
                "schedule_id": decision.schedule_id,
                "kind": decision.kind,
                "decided_by": decision.decided_by,
                "roles": json.dumps(list(decision.roles)),
                "authority": decision.authority_band,
                "required_band": decision.required_band,
                "presented_hash": decision.presented_hash,
                "approved_lines_hash": decision.approved_lines_hash,
                "statement": decision.statement_of_no_interest,
                "committee": decision.committee,
                "meeting_reference": decision.meeting_reference,
                "meeting_date": decision.meeting_date,
                "interests": decision.interests_declared_at_meeting,
                "approved_lines": decision.approved_lines,
                "approved_total": decision.approved_total_pence,
                "rejected_lines": decision.rejected_lines,
                "rejected_total": decision.rejected_total_pence,
                "decided_at": decision.decided_at,
                "decided_on": decision.decided_on,
                "split_debts": json.dumps(list(decision.split_debts)),
            },
        )

    async def record_refusal(
        self, schedule_id: UUID, person_id: str | None, refusals: Iterable[Refusal]
    ) -> None:
        """Keep a refused attempt with every reason."""
        await self.session.execute(
            self._REFUSED,
            {
                "schedule_id": schedule_id,
                "person_id": person_id,
                "refusals": json.dumps(
                    [
                        {"code": str(r.code), "message": r.message, "request_id": r.request_id}
                        for r in refusals
                    ]
                ),
            },
        )
