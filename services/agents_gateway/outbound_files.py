"""Files to agents: placements and instructions, signed, encrypted, uploaded and recorded with their sequence.

One file at a time per agent (a PostgreSQL advisory lock), so sequence numbers are unbroken whichever replica
sends. The upload happens inside the transaction that records the file and marks its records sent: if the upload
fails nothing is marked and the records wait for the next attempt.
"""

from __future__ import annotations

import asyncio
import gc
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.file_format import (
    FileHeader,
    FileKind,
    agent_file_name,
    build_agent_file,
)
from services.agents_gateway.domain.file_validation import FileProblem, ProblemCode, file_sha256
from services.agents_gateway.domain.openpgp import sign_and_encrypt
from services.agents_gateway.domain.records import AnyRecord, OutboundRecord, Placement
from services.agents_gateway.domain.rejection_file import rejection_records
from services.agents_gateway.gateway import agents, runtime, settings
from services.agents_gateway.sftp import agent_sftp
from shared.clock import clock
from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold, PlacementRejected

log = structlog.get_logger("agents_gateway.outbound")

_INSTRUCTIONS = TypeAdapter(list[OutboundRecord])
_PLACEMENTS = TypeAdapter(list[Placement])
_PLACEMENT = TypeAdapter(Placement)


@dataclass(frozen=True)
class FileSent:
    """What went to the agent."""

    agent: str
    sequence: int
    file_name: str
    sha256: str
    record_count: int
    total_pence: int
    urgent: bool


_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:key))")
_NEXT_SEQUENCE = text("SELECT coalesce(max(sequence), 0) + 1 FROM sent_file WHERE agent_code = :agent")
_WAITING_INSTRUCTIONS = text(
    "SELECT instruction_id, record FROM instruction WHERE agent_code = :agent AND sent_file_id IS NULL "
    "AND (urgent OR NOT :urgent_only) ORDER BY urgent DESC, instruction_id"
)
# Each waiting placement as its record's JSON, built by PostgreSQL: 50,000 records are then validated in one
# call from JSON text, with no Python dictionaries in between. The debtor is billing's liable party
# (organisations by name, people as title, first names and surname).
_WAITING_PLACEMENTS = text(
    """
    SELECT p.referral_id, p.debt_id, json_build_object(
      'case_reference', p.case_reference,
      'placed_on', CAST(:today AS date),
      'debtor', json_strip_nulls(json_build_object(
          'kind', CASE WHEN d.identity ->> 'kind' = 'organisation' THEN 'organisation' ELSE 'person' END,
          'name', CASE WHEN d.identity ->> 'kind' = 'organisation'
                       THEN coalesce(d.identity ->> 'organisation_name', '')
                       ELSE concat_ws(' ', d.identity ->> 'title', d.identity ->> 'first_names',
                                      d.identity ->> 'surname') END,
          'date_of_birth', d.identity ->> 'date_of_birth',
          'address', json_build_object(
              'lines', coalesce(d.identity -> 'address' -> 'lines', '[]'::jsonb),
              'postcode', coalesce(d.identity -> 'address' ->> 'postcode', '')),
          'telephone', d.identity ->> 'phone',
          'email', d.identity ->> 'email')),
      'debts', json_build_array(json_strip_nulls(json_build_object(
          'debt_reference', p.debt_id::text,
          'debt_type', p.debt_type,
          'balance_pence', p.balance_pence,
          'liability_order', CASE WHEN p.liability_order_reference IS NOT NULL
                                   AND p.liability_order_date IS NOT NULL THEN json_build_object(
              'court', CAST(:court AS text), 'granted_on', p.liability_order_date,
              'order_reference', p.liability_order_reference, 'amount_pence', p.balance_pence) END,
          'judgment', CASE WHEN p.judgment_claim_number IS NOT NULL AND p.judgment_on IS NOT NULL
                           THEN json_build_object(
              'court', coalesce(p.judgment_court, 'County Court'), 'claim_number', p.judgment_claim_number,
              'judgment_on', p.judgment_on, 'amount_pence', p.balance_pence) END))),
      'vulnerability_flags', p.vulnerability_flags,
      'contact_notes', CASE WHEN p.contact_notes IS NOT NULL
                            THEN json_build_array(json_build_object('noted_on', p.referred_on,
                                                                    'note', p.contact_notes))
                            ELSE '[]'::json END
    )::text AS record
    FROM placement p JOIN debtor d ON d.customer_id = p.customer_ids[1]
    WHERE p.agent_code = :agent AND p.status = 'awaiting_file'
      AND NOT EXISTS (
        SELECT 1 FROM breathing_space_period b WHERE b.debt_id = p.debt_id AND b.starts_on <= :today
           AND (b.ends_on IS NULL OR b.ends_on >= :today))
    ORDER BY p.referred_on, p.case_reference
    """
)
_RECORD_FILE = text(
    "INSERT INTO sent_file (agent_code, sequence, file_name, file_kind, urgent, record_count, total_pence, "
    "plaintext_sha256, sha256, size_bytes) VALUES (:agent, :sequence, :file_name, :file_kind, :urgent, "
    ":record_count, :total_pence, :plaintext_sha256, :sha256, :size_bytes) RETURNING file_id"
)
_MARK_INSTRUCTIONS = text(
    "UPDATE instruction SET sent_file_id = :file_id WHERE instruction_id = ANY(CAST(:ids AS bigint[]))"
)
_MARK_PLACED = text(
    "UPDATE placement SET status = 'sent', placed_file_id = :file_id, placed_on = :today "
    "WHERE referral_id = ANY(CAST(:ids AS uuid[]))"
)
_REFUSE = text(
    "UPDATE placement SET status = 'refused', refusal = :reason, answered_on = :today WHERE referral_id = :id"
)
_CONFIRMABLE_HOLDS = text(
    """
    UPDATE hold_confirmation h SET confirmed_at = now()
    WHERE confirmed_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM instruction i WHERE i.moratorium_reference = h.moratorium_reference
           AND i.hold_version = h.hold_version AND i.sent_file_id IS NULL)
    RETURNING moratorium_reference, hold_version, debt_ids
    """
)


async def confirm_holds_sent(session: AsyncSession) -> int:
    """Confirm every breathing space hold whose hold files have all been uploaded; how many were confirmed."""
    confirmed = (await session.execute(_CONFIRMABLE_HOLDS)).all()
    await runtime.outbox.add_all(
        session,
        [
            AgentsGatewayConfirmedHold(
                moratorium_reference=row.moratorium_reference,
                hold_version=row.hold_version,
                confirmed_debt_ids=list(row.debt_ids),
            )
            for row in confirmed
        ],
    )
    return len(confirmed)


async def _placements_to_send(session: AsyncSession, agent: Agent) -> list[tuple[Any, Placement]]:
    """Placements waiting for this agent, as records; any that cannot be a valid record is refused instead."""
    today = clock.today()
    rows = (
        await session.execute(
            _WAITING_PLACEMENTS,
            {"agent": agent.code, "today": today, "court": settings.liability_order_court},
        )
    ).all()
    if not rows:
        return []
    collecting = gc.isenabled()
    gc.disable()  # 50,000 new models otherwise trigger repeated full collections
    try:
        records = _PLACEMENTS.validate_json("[" + ",".join(row.record for row in rows) + "]")
        return list(zip(rows, records, strict=True))
    except ValidationError:
        pass  # one or more are invalid: find which, one by one
    finally:
        if collecting:
            gc.enable()
    valid: list[tuple[Any, Placement]] = []
    for row in rows:
        try:
            valid.append((row, _PLACEMENT.validate_json(row.record)))
        except ValidationError as error:
            reason = "the placement cannot be sent: " + "; ".join(
                f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}"
                for item in error.errors(include_input=False, include_url=False, include_context=False)
            )
            await session.execute(_REFUSE, {"reason": reason, "today": today, "id": row.referral_id})
            await runtime.outbox.add(
                session,
                PlacementRejected(
                    referral_id=row.referral_id,
                    debt_id=row.debt_id,
                    agent=agent.code,
                    reason=reason,
                    rejected_on=today,
                ),
            )
    return valid


async def _upload(
    session: AsyncSession, agent: Agent, file_kind: FileKind, records: list[AnyRecord], urgent: bool
) -> tuple[int, FileSent]:
    """Build, sign, encrypt, upload and record one file; returns its file id and description."""
    sequence = int((await session.execute(_NEXT_SEQUENCE, {"agent": agent.code})).scalar_one())
    header = FileHeader(
        format_version=agent.file_format_version,
        file_kind=file_kind,
        agent=agent.code,
        council=agents.registry.council,
        sequence=sequence,
        created_at=datetime.now(UTC),
    )
    content = await asyncio.to_thread(build_agent_file, header, records)
    protected = await asyncio.to_thread(
        sign_and_encrypt,
        content,
        agent.keys.our_private_key,
        agent.keys.agent_public_key,
        agent.keys.our_private_key_passphrase,
    )
    name = agent_file_name(header)
    async with agent_sftp(agent.sftp, settings.sftp_timeout_seconds) as sftp:
        await sftp.upload(name, protected)
    sent = FileSent(
        agent=agent.code,
        sequence=sequence,
        file_name=name,
        sha256=file_sha256(protected),
        record_count=len(records),
        total_pence=sum(record.trailer_amount for record in records),
        urgent=urgent,
    )
    file_id = (
        await session.execute(
            _RECORD_FILE,
            {
                "agent": agent.code,
                "sequence": sequence,
                "file_name": name,
                "file_kind": file_kind.value,
                "urgent": urgent,
                "record_count": sent.record_count,
                "total_pence": sent.total_pence,
                "plaintext_sha256": file_sha256(content),
                "sha256": sent.sha256,
                "size_bytes": len(protected),
            },
        )
    ).scalar_one()
    log.info(
        "file sent to agent",
        agent=agent.code,
        file_name=name,
        sequence=sequence,
        records=sent.record_count,
        urgent=urgent,
    )
    return file_id, sent


async def send_waiting_files(agent: Agent, *, urgent_only: bool) -> FileSent | None:
    """Send the agent what is waiting: only holds and recalls when `urgent_only`, otherwise everything
    (holds and recalls first, then placements, amendments and return requests). None when nothing waits."""
    async with runtime.database.transaction() as session:
        await session.execute(_LOCK, {"key": f"agents_gateway.outbound.{agent.code}"})
        instructions = (
            await session.execute(_WAITING_INSTRUCTIONS, {"agent": agent.code, "urgent_only": urgent_only})
        ).all()
        placements = [] if urgent_only else await _placements_to_send(session, agent)
        if not instructions and not placements:
            await confirm_holds_sent(session)
            return None
        instruction_records = _INSTRUCTIONS.validate_python([row.record for row in instructions])
        urgent_records = [r for r in instruction_records if r.kind in ("hold", "hold_lifted", "recall")]
        other_records = [r for r in instruction_records if r.kind not in ("hold", "hold_lifted", "recall")]
        records: list[AnyRecord] = [*urgent_records, *(p for _, p in placements), *other_records]
        file_id, sent = await _upload(session, agent, FileKind.COUNCIL_INSTRUCTIONS, records, urgent_only)
        if instructions:
            await session.execute(
                _MARK_INSTRUCTIONS, {"file_id": file_id, "ids": [row.instruction_id for row in instructions]}
            )
        if placements:
            await session.execute(
                _MARK_PLACED,
                {
                    "file_id": file_id,
                    "today": clock.today(),
                    "ids": [row.referral_id for row, _ in placements],
                },
            )
        await confirm_holds_sent(session)
        return sent


_QUARANTINED = text(
    "SELECT file_id, sha256, sequence, problems FROM received_file WHERE file_id = :file_id "
    "AND outcome = 'quarantined' AND rejection_file_id IS NULL FOR UPDATE"
)
_LINK_REJECTION = text("UPDATE received_file SET rejection_file_id = :sent WHERE file_id = :file_id")


def problems_for_the_agent(problems: list[dict[str, Any]]) -> list[FileProblem]:
    """The problems an agent must hear about (our own key failing is the council's fault, not theirs)."""
    return [
        FileProblem(ProblemCode(p["code"]), p["message"], p.get("line"), p.get("case_reference"))
        for p in problems
        if p["code"] != ProblemCode.COUNCIL_KEY_UNUSABLE.value
    ]


async def send_rejection_file(agent: Agent, received_file_id: int) -> FileSent | None:
    """Tell the agent, by a file_rejection file, every problem found in a file of theirs we quarantined."""
    async with runtime.database.transaction() as session:
        await session.execute(_LOCK, {"key": f"agents_gateway.outbound.{agent.code}"})
        row = (await session.execute(_QUARANTINED, {"file_id": received_file_id})).one_or_none()
        if row is None:
            return None
        problems = problems_for_the_agent(
            row.problems if isinstance(row.problems, list) else json.loads(row.problems)
        )
        if not problems:
            return None
        records: list[AnyRecord] = list(rejection_records(row.sha256, row.sequence, problems))
        file_id, sent = await _upload(session, agent, FileKind.FILE_REJECTION, records, urgent=True)
        await session.execute(_LINK_REJECTION, {"sent": file_id, "file_id": received_file_id})
        return sent
