"""Files to agents: placements and instructions, signed, encrypted, uploaded and recorded with their sequence.

One file at a time per agent (a PostgreSQL advisory lock), so sequence numbers are unbroken whichever replica
sends. The upload happens inside the transaction that records the file and marks its records sent: if the upload
fails nothing is marked and the records wait for the next attempt.
"""

from __future__ import annotations

import asyncio
import gc
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from pydantic import TypeAdapter, ValidationError

from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.file_format import (
    FileHeader,
    FileKind,
    agent_file_name,
    build_agent_file,
)
from services.agents_gateway.domain.file_validation import file_sha256
from services.agents_gateway.domain.openpgp import sign_and_encrypt
from services.agents_gateway.domain.records import AnyRecord, OutboundRecord, Placement
from services.agents_gateway.domain.rejection_file import problems_for_the_agent, rejection_records
from services.agents_gateway.gateway_service import AgentsGateway, GatewayHandling
from services.agents_gateway.sftp import agent_sftp
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.files import FileToRecord
from services.agents_gateway.stores.placements import WaitingPlacement
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


async def confirm_holds_sent(handling: GatewayHandling) -> int:
    """Confirm every breathing space hold whose hold files have all been uploaded; how many were confirmed."""
    confirmed = await handling.stores.breathing_spaces.confirm_sent()
    await handling.outbox.add_all(
        [
            AgentsGatewayConfirmedHold(
                moratorium_reference=held.moratorium_reference,
                hold_version=held.hold_version,
                confirmed_debt_ids=list(held.debt_ids),
            )
            for held in confirmed
        ],
    )
    return len(confirmed)


async def _placements_to_send(
    handling: GatewayHandling, agent: Agent
) -> list[tuple[WaitingPlacement, Placement]]:
    """Placements waiting for this agent, as records; any that cannot be a valid record is refused instead."""
    gateway = handling.service
    today = gateway.clock.today()
    rows = await handling.stores.placements.waiting_for(
        agent.code, today, gateway.settings.liability_order_court
    )
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
    valid: list[tuple[WaitingPlacement, Placement]] = []
    for row in rows:
        try:
            valid.append((row, _PLACEMENT.validate_json(row.record)))
        except ValidationError as error:
            reason = "the placement cannot be sent: " + "; ".join(
                f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}"
                for item in error.errors(include_input=False, include_url=False, include_context=False)
            )
            await handling.stores.placements.refuse(row.referral_id, reason, today)
            await handling.outbox.add(
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
    handling: GatewayHandling, agent: Agent, file_kind: FileKind, records: list[AnyRecord], urgent: bool
) -> tuple[int, FileSent]:
    """Build, sign, encrypt, upload and record one file; returns its file id and description."""
    gateway = handling.service
    sequence = await handling.stores.sent_files.next_sequence(agent.code)
    header = FileHeader(
        format_version=agent.file_format_version,
        file_kind=file_kind,
        agent=agent.code,
        council=gateway.agents.registry.council,
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
    async with agent_sftp(agent.sftp, gateway.settings.sftp_timeout_seconds) as sftp:
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
    file_id = await handling.stores.sent_files.record(
        FileToRecord(
            agent_code=agent.code,
            sequence=sequence,
            file_name=name,
            file_kind=file_kind.value,
            urgent=urgent,
            record_count=sent.record_count,
            total_pence=sent.total_pence,
            plaintext_sha256=file_sha256(content),
            sha256=sent.sha256,
            size_bytes=len(protected),
        )
    )
    log.info(
        "file sent to agent",
        agent=agent.code,
        file_name=name,
        sequence=sequence,
        records=sent.record_count,
        urgent=urgent,
    )
    return file_id, sent


async def send_waiting_files(gateway: AgentsGateway, agent: Agent, *, urgent_only: bool) -> FileSent | None:
    """Send the agent what is waiting: only holds and recalls when `urgent_only`, otherwise everything
    (holds and recalls first, then placements, amendments and return requests). None when nothing waits."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        stores = handling.stores
        await stores.sent_files.lock_agent(agent.code)
        instructions = await stores.instructions.waiting_for(agent.code, urgent_only=urgent_only)
        placements = [] if urgent_only else await _placements_to_send(handling, agent)
        if not instructions and not placements:
            await confirm_holds_sent(handling)
            return None
        instruction_records = _INSTRUCTIONS.validate_python([row.record for row in instructions])
        urgent_records = [r for r in instruction_records if r.kind in ("hold", "hold_lifted", "recall")]
        other_records = [r for r in instruction_records if r.kind not in ("hold", "hold_lifted", "recall")]
        records: list[AnyRecord] = [*urgent_records, *(p for _, p in placements), *other_records]
        file_id, sent = await _upload(handling, agent, FileKind.COUNCIL_INSTRUCTIONS, records, urgent_only)
        if instructions:
            await stores.instructions.mark_sent([row.instruction_id for row in instructions], file_id)
        if placements:
            await stores.placements.mark_placed(
                [row.referral_id for row, _ in placements], file_id, gateway.clock.today()
            )
        await confirm_holds_sent(handling)
        return sent


async def send_rejection_file(gateway: AgentsGateway, agent: Agent, received_file_id: int) -> FileSent | None:
    """Tell the agent, by a file_rejection file, every problem found in a file of theirs we quarantined."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        stores = handling.stores
        await stores.sent_files.lock_agent(agent.code)
        owed = await stores.received_files.rejection_owed_for(received_file_id)
        if owed is None:
            return None
        problems = problems_for_the_agent(owed.problems)
        if not problems:
            return None
        records: list[AnyRecord] = list(rejection_records(owed.sha256, owed.sequence, problems))
        file_id, sent = await _upload(handling, agent, FileKind.FILE_REJECTION, records, urgent=True)
        await stores.received_files.link_rejection(received_file_id, file_id)
        return sent
