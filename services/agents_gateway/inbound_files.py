"""Files from agents: fetched from their outbox, decrypted, signature checked, validated whole, then applied
whole or quarantined whole.

A file is identified by the SHA-256 of its bytes: the same file fetched twice is handled once. A file whose
content was already applied (re-encrypted, or replayed under an applied sequence number) is not applied again.
A bad file is kept as received with a report of every problem, raised as an alert (`AgentFileQuarantined`, an
error log line, and the HTTP status page), and the agent is sent a rejection file.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field

import structlog
from sqlalchemy.exc import IntegrityError

from services.agents_gateway import outbound_files
from services.agents_gateway.agent_returns import apply_agent_returns
from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.file_format import FileKind
from services.agents_gateway.domain.file_sequencing import InboundFileVerdict, check_inbound_file
from services.agents_gateway.domain.file_validation import (
    AgentFileReport,
    FileProblem,
    ProblemCode,
    file_sha256,
    file_size_limit,
    file_too_large,
    read_agent_file,
)
from services.agents_gateway.domain.openpgp import OpenPgpError, decrypt_and_verify
from services.agents_gateway.domain.rejection_file import problem_for_openpgp_error
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.sftp import Oversized, agent_sftp
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.files import ReceivedFile
from services.agents_gateway.stores.placements import PlacedCase
from shared.contracts.agents_gateway import AgentFileQuarantined

log = structlog.get_logger("agents_gateway.inbound")


@dataclass
class FileOutcome:
    """What became of one inbound file."""

    agent: str
    file_name: str
    sha256: str
    outcome: str  # applied | quarantined | duplicate
    record_count: int = 0
    events_published: int = 0
    problems: list[str] = field(default_factory=list)
    received_file_id: int | None = None
    rejection_sent: bool = False


def describe_problem(problem: FileProblem) -> str:
    """One problem as a line of the alert: code, line and message (never record values)."""
    where = f" (line {problem.line})" if problem.line is not None else ""
    return f"{problem.code.value}{where}: {problem.message}"


@dataclass
class CheckedFile:
    """One agent file put through every check: decrypted and verified, read and validated against the cases
    placed with the agent, and its content and sequence compared with the files already applied."""

    problems: list[FileProblem]
    report: AgentFileReport | None = None
    plaintext_sha256: str | None = None
    cases: dict[str, PlacedCase] = field(default_factory=dict)
    already_applied: bool = False
    """The same content was applied before (a re-encrypted resend): nothing to apply, nothing wrong."""


async def check_agent_file(gateway: AgentsGateway, agent: Agent, protected: bytes) -> CheckedFile:
    """Every check a file from the agent must pass before it is applied, without changing anything."""
    try:
        plaintext = await asyncio.to_thread(
            decrypt_and_verify,
            protected,
            agent.keys.our_private_key,
            agent.keys.agent_public_key,
            agent.keys.our_private_key_passphrase,
        )
    except OpenPgpError as error:
        return CheckedFile([problem_for_openpgp_error(error)])
    plaintext_sha256 = file_sha256(plaintext)
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        cases = await handling.stores.placements.placed_with(agent.code)
        applied = await handling.stores.received_files.applied(agent.code)
    report = await asyncio.to_thread(
        read_agent_file,
        plaintext,
        FileKind.AGENT_RETURNS,
        agent.code,
        gateway.agents.registry.council,
        cases,
    )
    checked = CheckedFile(list(report.problems), report, plaintext_sha256, cases)
    if checked.problems or report.header is None:
        return checked
    check = check_inbound_file(
        plaintext_sha256,
        report.header.sequence,
        {row.plaintext_sha256 for row in applied},
        {row.sequence for row in applied},
    )
    if check.verdict is InboundFileVerdict.DUPLICATE_FILE:
        checked.already_applied = True
    elif check.verdict is InboundFileVerdict.DUPLICATE_SEQUENCE:
        checked.problems.append(
            FileProblem(
                ProblemCode.SEQUENCE_ALREADY_APPLIED,
                f"a different file with sequence {report.header.sequence} was already applied",
                1,
            )
        )
    elif check.missing_sequences:
        log.warning(
            "agent file sequence has gaps", agent=agent.code, missing=list(check.missing_sequences)[:20]
        )
    return checked


async def receive_agent_file(
    gateway: AgentsGateway, agent: Agent, file_name: str, protected: bytes
) -> FileOutcome:
    """Decrypt, verify, validate and apply (or quarantine) one file as fetched from the agent."""
    sha256 = file_sha256(protected)
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        seen = await handling.stores.received_files.seen(agent.code, sha256)
    if seen is not None:
        return FileOutcome(agent.code, file_name, sha256, "duplicate", received_file_id=seen.file_id)

    checked = await check_agent_file(gateway, agent, protected)
    report, plaintext_sha256 = checked.report, checked.plaintext_sha256
    if checked.already_applied and report is not None and plaintext_sha256 is not None:
        return await _record_duplicate(gateway, agent, file_name, sha256, plaintext_sha256, report)
    if not checked.problems and report is not None and plaintext_sha256 is not None:
        outcome = await _apply(gateway, agent, file_name, sha256, plaintext_sha256, report, checked.cases)
        if outcome is not None:
            return outcome
        return FileOutcome(agent.code, file_name, sha256, "duplicate")
    return await quarantine(
        gateway, agent, file_name, protected, sha256, plaintext_sha256, report, checked.problems
    )


async def _record_duplicate(
    gateway: AgentsGateway,
    agent: Agent,
    file_name: str,
    sha256: str,
    plaintext_sha256: str,
    report: AgentFileReport,
) -> FileOutcome:
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        file_id = await handling.stores.received_files.record(
            ReceivedFile(
                agent_code=agent.code,
                file_name=file_name,
                sha256=sha256,
                plaintext_sha256=plaintext_sha256,
                sequence=report.header.sequence if report.header else None,
                outcome="duplicate",
                record_count=len(report.records),
                problems=[],
                content=None,
            )
        )
    log.info("agent file already applied; not applied again", agent=agent.code, file_name=file_name)
    return FileOutcome(agent.code, file_name, sha256, "duplicate", received_file_id=file_id)


async def _apply(
    gateway: AgentsGateway,
    agent: Agent,
    file_name: str,
    sha256: str,
    plaintext_sha256: str,
    report: AgentFileReport,
    cases: dict[str, PlacedCase],
) -> FileOutcome | None:
    """Apply the whole file in one transaction; None when another worker applied the same file meanwhile."""
    assert report.header is not None
    try:
        async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
            file_id = await handling.stores.received_files.record(
                ReceivedFile(
                    agent_code=agent.code,
                    file_name=file_name,
                    sha256=sha256,
                    plaintext_sha256=plaintext_sha256,
                    sequence=report.header.sequence,
                    outcome="applied",
                    record_count=len(report.records),
                    problems=[],
                    content=None,
                )
            )
            if file_id is None:
                return None
            published = await apply_agent_returns(handling, agent, file_id, report.records, cases)
    except IntegrityError:
        return None  # the same content under another name, applied concurrently: once is enough
    log.info(
        "agent file applied",
        agent=agent.code,
        file_name=file_name,
        records=len(report.records),
        events=published,
    )
    return FileOutcome(
        agent.code,
        file_name,
        sha256,
        "applied",
        record_count=len(report.records),
        events_published=published,
        received_file_id=file_id,
    )


async def quarantine(
    gateway: AgentsGateway,
    agent: Agent,
    file_name: str,
    protected: bytes | None,
    sha256: str,
    plaintext_sha256: str | None,
    report: AgentFileReport | None,
    problems: list[FileProblem],
) -> FileOutcome:
    """Keep the file whole with its report, alert the council, and send the agent a rejection file.

    `protected` is None for a file too large to keep in the database: it is kept on disk instead
    (`quarantine_oversized`)."""
    described = [describe_problem(problem) for problem in problems]
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        file_id = await handling.stores.received_files.record(
            ReceivedFile(
                agent_code=agent.code,
                file_name=file_name,
                sha256=sha256,
                plaintext_sha256=plaintext_sha256,
                sequence=report.header.sequence if report and report.header else None,
                outcome="quarantined",
                record_count=len(report.records) if report else 0,
                problems=[{**asdict(problem), "code": problem.code.value} for problem in problems],
                content=protected,
            )
        )
        if file_id is None:
            return FileOutcome(agent.code, file_name, sha256, "duplicate")
        await handling.outbox.add(
            AgentFileQuarantined(
                agent=agent.code,
                file_name=file_name,
                file_sha256=sha256,
                problems=described,
                quarantined_on=gateway.clock.today(),
            ),
        )
    log.error(
        "agent file quarantined",
        agent=agent.code,
        file_name=file_name,
        sha256=sha256,
        problem_count=len(problems),
        first_problems=described[:5],
    )
    outcome = FileOutcome(
        agent.code, file_name, sha256, "quarantined", problems=described, received_file_id=file_id
    )
    try:
        outcome.rejection_sent = await outbound_files.send_rejection_file(gateway, agent, file_id) is not None
    except Exception as error:  # the agent's server may be down; the scheduler retries the rejection
        log.warning("rejection file not sent yet", agent=agent.code, file_name=file_name, reason=str(error))
    return outcome


async def quarantine_oversized(
    gateway: AgentsGateway, agent: Agent, file_name: str, oversized: Oversized, limit_bytes: int
) -> FileOutcome:
    """Quarantine a file above the size limit unread, with the report saying why; the file was streamed to
    the quarantine folder as fetched, named by its SHA-256 (the same file fetched again is quarantined once)."""
    log.error(
        "agent file above the size limit kept unread",
        agent=agent.code,
        file_name=file_name,
        size=oversized.size,
        limit=limit_bytes,
        kept_at=str(oversized.kept_at),
    )
    return await quarantine(
        gateway,
        agent,
        file_name,
        None,
        oversized.sha256,
        None,
        None,
        [file_too_large(oversized.size, limit_bytes)],
    )


async def poll_agent(gateway: AgentsGateway, agent: Agent) -> list[FileOutcome]:
    """Fetch and handle every new file in the agent's outbox, oldest name first.

    A name already applied is skipped without downloading; a name that was quarantined is fetched again, because
    the agent may have replaced it with a corrected file (whose hash then differs).
    """
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        handled = await handling.stores.received_files.handled_names(agent.code)
    limit = file_size_limit(agent.max_file_bytes, gateway.settings.max_file_bytes)
    outcomes: list[FileOutcome] = []
    async with agent_sftp(agent.sftp, gateway.settings.sftp_timeout_seconds) as sftp:
        for entry in await sftp.outbox():
            if entry.name in handled:
                continue
            content = await sftp.download(entry.name, limit, gateway.settings.quarantine_dir)
            if isinstance(content, Oversized):
                outcomes.append(await quarantine_oversized(gateway, agent, entry.name, content, limit))
            else:
                outcomes.append(await receive_agent_file(gateway, agent, entry.name, content))
    return outcomes
