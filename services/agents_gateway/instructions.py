"""Instructions waiting for a file to an agent, and the placements they concern.

Every outbound record but a placement (amendment, hold, hold lifted, recall, return requested) is written here in
the same transaction as the event that caused it; the file that carries it marks it sent. Urgent ones go at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.records import Amendment, Hold, HoldLifted, Recall, ReturnRequested

InstructionRecord = Amendment | Hold | HoldLifted | Recall | ReturnRequested

_INSERT = text(
    "INSERT INTO instruction (agent_code, referral_id, kind, urgent, record, moratorium_reference, hold_version) "
    "SELECT agent_code, referral_id, kind, urgent, CAST(record AS jsonb), moratorium_reference, hold_version "
    "FROM unnest(CAST(:agent_codes AS text[]), CAST(:referral_ids AS uuid[]), CAST(:kinds AS text[]), "
    "CAST(:urgent AS boolean[]), CAST(:records AS text[]), CAST(:moratorium_references AS text[]), "
    "CAST(:hold_versions AS integer[])) "
    "AS i(agent_code, referral_id, kind, urgent, record, moratorium_reference, hold_version)"
)


@dataclass(frozen=True)
class Instruction:
    """One record for an agent's next file (or, when urgent, for a file of its own sent at once)."""

    agent_code: str
    referral_id: UUID
    record: InstructionRecord
    urgent: bool
    moratorium_reference: str | None = None
    hold_version: int | None = None


_PLACED_WITH_AN_AGENT = text(
    "SELECT referral_id, case_reference, agent_code, debt_id, balance_pence, status FROM placement "
    "WHERE debt_id = ANY(:debt_ids) AND status IN ('sent', 'acknowledged') ORDER BY referral_id"
)
_ANY_OPEN = text(
    "SELECT referral_id, case_reference, agent_code, debt_id, balance_pence, status FROM placement "
    "WHERE debt_id = ANY(:debt_ids) AND status IN ('awaiting_file', 'sent', 'acknowledged') ORDER BY referral_id"
)


async def add_instruction(
    session: AsyncSession,
    agent_code: str,
    referral_id: UUID,
    record: InstructionRecord,
    *,
    urgent: bool,
    moratorium_reference: str | None = None,
    hold_version: int | None = None,
) -> None:
    """Queue one record for the agent's next file (or, when urgent, for a file of its own sent at once)."""
    await add_instructions(
        session, [Instruction(agent_code, referral_id, record, urgent, moratorium_reference, hold_version)]
    )


async def add_instructions(session: AsyncSession, instructions: list[Instruction]) -> None:
    """Queue many records in one statement, in the order given (files list them in that order)."""
    if not instructions:
        return
    await session.execute(
        _INSERT,
        {
            "agent_codes": [i.agent_code for i in instructions],
            "referral_ids": [i.referral_id for i in instructions],
            "kinds": [i.record.kind for i in instructions],
            "urgent": [i.urgent for i in instructions],
            "records": [i.record.model_dump_json(exclude_none=True) for i in instructions],
            "moratorium_references": [i.moratorium_reference for i in instructions],
            "hold_versions": [i.hold_version for i in instructions],
        },
    )


async def placements_with_agents(session: AsyncSession, debt_ids: list[UUID]) -> list[Any]:
    """Placements of these debts that an agent holds (sent, acknowledged)."""
    return list((await session.execute(_PLACED_WITH_AN_AGENT, {"debt_ids": debt_ids})).all())


async def open_placements(session: AsyncSession, debt_ids: list[UUID]) -> list[Any]:
    """Placements of these debts that are with an agent or about to go to one."""
    return list((await session.execute(_ANY_OPEN, {"debt_ids": debt_ids})).all())
