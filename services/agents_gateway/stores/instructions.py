"""Instructions waiting for a file to an agent: every outbound record but a placement (amendment, hold, hold
lifted, recall, return requested), written in the same transaction as the event that caused it; the file that
carries it marks it sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.records import Amendment, Hold, HoldLifted, Recall, ReturnRequested

InstructionRecord = Amendment | Hold | HoldLifted | Recall | ReturnRequested


@dataclass(frozen=True)
class Instruction:
    """One record for an agent's next file (or, when urgent, for a file of its own sent at once)."""

    agent_code: str
    referral_id: UUID
    record: InstructionRecord
    urgent: bool
    moratorium_reference: str | None = None
    hold_version: int | None = None
    requested_by: str | None = None
    """The officer who asked for it (a return request), as their principal is recorded."""


@dataclass(frozen=True)
class ReturnRequest:
    """A return the council asked an agent for, who asked, and whether it has gone to the agent."""

    instruction_id: int
    referral_id: UUID
    case_reference: str
    agent_code: str
    requested_on: date
    reason: str
    requested_by: str | None
    requested_at: datetime
    sent_file_id: int | None
    placement_status: str


@dataclass(frozen=True)
class WaitingInstruction:
    """An instruction not yet sent, its record as stored (JSON, validated by the sender)."""

    instruction_id: int
    record: dict[str, Any]


_INSERT = text(
    "INSERT INTO instruction (agent_code, referral_id, kind, urgent, record, moratorium_reference, hold_version, "
    "requested_by) "
    "SELECT agent_code, referral_id, kind, urgent, CAST(record AS jsonb), moratorium_reference, hold_version, "
    "requested_by "
    "FROM unnest(CAST(:agent_codes AS text[]), CAST(:referral_ids AS uuid[]), CAST(:kinds AS text[]), "
    "CAST(:urgent AS boolean[]), CAST(:records AS text[]), CAST(:moratorium_references AS text[]), "
    "CAST(:hold_versions AS integer[]), CAST(:requested_by AS text[])) "
    "AS i(agent_code, referral_id, kind, urgent, record, moratorium_reference, hold_version, requested_by)"
)
_RETURN_REQUESTS = text(
    "SELECT i.instruction_id, i.referral_id, p.case_reference, i.agent_code, "
    "CAST(i.record ->> 'requested_on' AS date), i.record ->> 'reason', i.requested_by, i.created_at, "
    "i.sent_file_id, p.status "
    "FROM instruction i JOIN placement p ON p.referral_id = i.referral_id "
    "WHERE i.kind = 'return_requested' AND (CAST(:referral_id AS uuid) IS NULL OR i.referral_id = :referral_id) "
    "ORDER BY i.instruction_id DESC LIMIT :limit"
)
_WAITING = text(
    "SELECT instruction_id, record FROM instruction WHERE agent_code = :agent AND sent_file_id IS NULL "
    "AND (urgent OR NOT :urgent_only) ORDER BY urgent DESC, instruction_id"
)
# Rows are locked in instruction id order before the batch update, so overlapping batches never deadlock.
_LOCK_IN_ORDER = text(
    "SELECT instruction_id FROM instruction WHERE instruction_id = ANY(CAST(:ids AS bigint[])) "
    "ORDER BY instruction_id FOR UPDATE"
)
_MARK_SENT = text(
    "UPDATE instruction SET sent_file_id = :file_id WHERE instruction_id = ANY(CAST(:ids AS bigint[]))"
)
_AGENTS_WITH_URGENT_WORK = text(
    "SELECT DISTINCT agent_code FROM instruction WHERE urgent AND sent_file_id IS NULL"
)
_HELD_BY_MORATORIUM = text(
    "SELECT DISTINCT i.referral_id FROM instruction i WHERE i.kind = 'hold' AND i.moratorium_reference = :reference"
)


class InstructionStore:
    """Records waiting for agents' files."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, instructions: Sequence[Instruction]) -> None:
        """Queue many records in one statement, in the order given (files list them in that order)."""
        if not instructions:
            return
        await self.session.execute(
            _INSERT,
            {
                "agent_codes": [i.agent_code for i in instructions],
                "referral_ids": [i.referral_id for i in instructions],
                "kinds": [i.record.kind for i in instructions],
                "urgent": [i.urgent for i in instructions],
                "records": [i.record.model_dump_json(exclude_none=True) for i in instructions],
                "moratorium_references": [i.moratorium_reference for i in instructions],
                "hold_versions": [i.hold_version for i in instructions],
                "requested_by": [i.requested_by for i in instructions],
            },
        )

    async def return_requests(self, referral_id: UUID | None = None, limit: int = 100) -> list[ReturnRequest]:
        """Returns the council asked agents for (of one placement, when given), newest first."""
        rows = await self.session.execute(_RETURN_REQUESTS, {"referral_id": referral_id, "limit": limit})
        return [ReturnRequest(*row) for row in rows.tuples()]

    async def waiting_for(self, agent_code: str, *, urgent_only: bool) -> list[WaitingInstruction]:
        """The agent's unsent instructions (only the urgent ones when `urgent_only`), urgent first."""
        rows = await self.session.execute(_WAITING, {"agent": agent_code, "urgent_only": urgent_only})
        return [WaitingInstruction(*row) for row in rows.tuples()]

    async def mark_sent(self, instruction_ids: Sequence[int], file_id: int) -> None:
        """These instructions went in this file."""
        await self.session.execute(_LOCK_IN_ORDER, {"ids": list(instruction_ids)})
        await self.session.execute(_MARK_SENT, {"file_id": file_id, "ids": list(instruction_ids)})

    async def agents_with_urgent_work(self) -> list[str]:
        """Agents with holds or recalls waiting."""
        return list((await self.session.execute(_AGENTS_WITH_URGENT_WORK)).scalars())

    async def held_under(self, moratorium_reference: str) -> set[UUID]:
        """Placements an agent was told to hold under this moratorium."""
        rows = await self.session.execute(_HELD_BY_MORATORIUM, {"reference": moratorium_reference})
        return set(rows.scalars())
