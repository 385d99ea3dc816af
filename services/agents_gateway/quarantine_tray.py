"""The officers' tray of quarantined agent files: each waits, counted and aged, with its report, until an agents
officer resolves it (the alert closes), discards it, or releases it: the kept file is put through every check
again (after what was wrong is put right: the case it names placed, the agent's key rotated in the registry) and,
if it now passes them all, applied whole like any good file. A file that still fails stays quarantined with
nothing applied. Who acted is the signed-in officer, kept on the file's record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from services.agents_gateway.agent_returns import apply_agent_returns
from services.agents_gateway.domain.trays import hours_waiting
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.inbound_files import FileOutcome, check_agent_file, describe_problem
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.files import KeptFile


class NotAwaitingAnOfficer(LookupError):
    """No quarantined file with that id waits for an officer (none, or already dealt with)."""


class CannotRelease(ValueError):
    """The file cannot be applied: it still fails a check (each problem listed), or it was never read."""

    def __init__(self, reason: str, problems: list[str] | None = None) -> None:
        super().__init__(reason)
        self.problems = problems or []


async def quarantine_tray(gateway: AgentsGateway, limit: int = 100) -> dict[str, Any]:
    """How many quarantined files wait for an officer, the oldest's age in hours, and each (newest first) with
    its report and age."""
    now = gateway.clock.now()
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        count, oldest = await handling.stores.received_files.awaiting_an_officer()
        files = await handling.stores.received_files.quarantined(limit)
    return {
        "waiting": count,
        "oldest_hours_waiting": hours_waiting(oldest, now),
        "items": [
            {
                "file_id": file.file_id,
                "agent": file.agent_code,
                "file_name": file.file_name,
                "sha256": file.sha256,
                "problems": file.problems,
                "received_at": file.received_at.isoformat(),
                "hours_waiting": hours_waiting(file.received_at, now),
                "rejection_sent": file.rejection_file_id is not None,
            }
            for file in files
            if file.resolved_at is None
        ],
    }


async def discard(gateway: AgentsGateway, file_id: int, officer: str, reason: str) -> None:
    """The officer discards the file: nothing of it is applied, the alert closes, the file and report stay."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        if not await handling.stores.received_files.resolve(file_id, officer, reason, decision="discarded"):
            raise NotAwaitingAnOfficer(f"no quarantined file {file_id} awaits an officer")


async def _kept(gateway: AgentsGateway, file_id: int) -> KeptFile:
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        kept = await handling.stores.received_files.kept(file_id)
    if kept is None:
        raise NotAwaitingAnOfficer(f"no quarantined file {file_id} awaits an officer")
    return kept


async def release(gateway: AgentsGateway, file_id: int, officer: str, reason: str) -> FileOutcome:
    """Check the kept file again and, if it passes every check now, apply it whole in one transaction."""
    kept = await _kept(gateway, file_id)
    if kept.content is None:
        raise CannotRelease(
            "the file was too large to read and is kept unread: ask the agent to send it in parts"
        )
    try:
        agent = gateway.agents.agent(kept.agent_code)
    except KeyError:
        raise CannotRelease(f"agent {kept.agent_code} is no longer in the registry") from None
    checked = await check_agent_file(gateway, agent, kept.content)
    if checked.already_applied:
        raise CannotRelease("its content was already applied from another file: discard it")
    report, plaintext_sha256 = checked.report, checked.plaintext_sha256
    if checked.problems or report is None or report.header is None or plaintext_sha256 is None:
        problems = [describe_problem(problem) for problem in checked.problems]
        raise CannotRelease("the file still fails its checks; nothing was applied", problems)
    try:
        async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
            if not await handling.stores.received_files.release(
                file_id, plaintext_sha256, report.header.sequence, len(report.records), officer, reason
            ):
                raise NotAwaitingAnOfficer(f"quarantined file {file_id} was dealt with meanwhile")
            published = await apply_agent_returns(handling, agent, file_id, report.records, checked.cases)
    except IntegrityError:
        raise CannotRelease(
            "a file with the same content or sequence was applied meanwhile: discard it"
        ) from None
    return FileOutcome(
        agent.code,
        kept.file_name,
        kept.sha256,
        "applied",
        record_count=len(report.records),
        events_published=published,
        received_file_id=file_id,
    )
