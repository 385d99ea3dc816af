"""Files sent to agents (with their unbroken sequence per agent) and files received from them (applied,
duplicate or quarantined, a quarantined one kept whole with its report)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.rejection_file import NOT_THE_AGENTS_FAULT


@dataclass(frozen=True)
class FileToRecord:
    """A file uploaded to an agent, as recorded."""

    agent_code: str
    sequence: int
    file_name: str
    file_kind: str
    urgent: bool
    record_count: int
    total_pence: int
    plaintext_sha256: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class ReceivedFile:
    """A file fetched from an agent's outbox, as recorded (content is kept only when quarantined)."""

    agent_code: str
    file_name: str
    sha256: str
    plaintext_sha256: str | None
    sequence: int | None
    outcome: str  # applied | quarantined | duplicate
    record_count: int
    problems: list[dict[str, Any]]
    content: bytes | None


@dataclass(frozen=True)
class SeenFile:
    """A file already received, by the hash of its bytes."""

    file_id: int
    outcome: str


@dataclass(frozen=True)
class AppliedContent:
    """What identifies a file already applied: the hash of its decrypted content and its sequence (an applied
    file always has both)."""

    plaintext_sha256: str
    sequence: int


@dataclass(frozen=True)
class QuarantinedFile:
    """A quarantined file with its report and what became of it."""

    file_id: int
    agent_code: str
    file_name: str
    sha256: str
    sequence: int | None
    problems: list[dict[str, Any]]
    received_at: datetime
    rejection_file_id: int | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None
    decision: str | None = None
    """resolved | discarded | released (checked again and applied whole); None while it waits."""


@dataclass(frozen=True)
class KeptFile:
    """A quarantined file awaiting an officer, as it was fetched (None when too large: kept unread on disk)."""

    file_id: int
    agent_code: str
    file_name: str
    sha256: str
    content: bytes | None


@dataclass(frozen=True)
class RejectionOwed:
    """A quarantined file whose agent has not yet been sent its rejection file."""

    file_id: int
    agent_code: str
    sha256: str
    sequence: int | None
    problems: list[dict[str, Any]]


_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:key))")
_NEXT_SEQUENCE = text("SELECT coalesce(max(sequence), 0) + 1 FROM sent_file WHERE agent_code = :agent")
_RECORD_SENT = text(
    "INSERT INTO sent_file (agent_code, sequence, file_name, file_kind, urgent, record_count, total_pence, "
    "plaintext_sha256, sha256, size_bytes) VALUES (:agent_code, :sequence, :file_name, :file_kind, :urgent, "
    ":record_count, :total_pence, :plaintext_sha256, :sha256, :size_bytes) RETURNING file_id"
)
_BATCH_SENT_SINCE = text(
    "SELECT EXISTS (SELECT 1 FROM sent_file WHERE agent_code = :agent AND NOT urgent "
    "AND file_kind = 'council_instructions' AND sent_at >= :since)"
)
_SEEN = text("SELECT file_id, outcome FROM received_file WHERE agent_code = :agent AND sha256 = :sha256")
_APPLIED = text(
    "SELECT plaintext_sha256, sequence FROM received_file WHERE agent_code = :agent AND outcome = 'applied'"
)
_RECORD_RECEIVED = text(
    "INSERT INTO received_file (agent_code, file_name, sha256, plaintext_sha256, sequence, outcome, "
    "record_count, problems, content) VALUES (:agent_code, :file_name, :sha256, :plaintext_sha256, :sequence, "
    ":outcome, :record_count, CAST(:problems AS jsonb), :content) "
    "ON CONFLICT (agent_code, sha256) DO NOTHING RETURNING file_id"
)
_HANDLED_NAMES = text(
    "SELECT DISTINCT file_name FROM received_file WHERE agent_code = :agent AND outcome IN ('applied', 'duplicate')"
)
_QUARANTINED = text(
    "SELECT file_id, agent_code, file_name, sha256, sequence, problems, received_at, rejection_file_id, "
    "resolved_at, resolved_by, resolution, decision FROM received_file "
    "WHERE outcome = 'quarantined' OR decision = 'released' ORDER BY file_id DESC LIMIT :limit"
)
AWAITING_AN_OFFICER = "outcome = 'quarantined' AND resolved_at IS NULL"
_QUARANTINE_COUNT = text(f"SELECT count(*), min(received_at) FROM received_file WHERE {AWAITING_AN_OFFICER}")
_KEPT = text(
    "SELECT file_id, agent_code, file_name, sha256, content FROM received_file "
    f"WHERE file_id = :file_id AND {AWAITING_AN_OFFICER} FOR UPDATE"
)
_DECIDE = text(
    "UPDATE received_file SET resolved_at = now(), resolved_by = :by, resolution = :resolution, "
    f"decision = :decision WHERE file_id = :file_id AND {AWAITING_AN_OFFICER} RETURNING file_id"
)
# A released file becomes an applied one (its problems kept as the report it was quarantined with), so the
# unique indexes on applied content and sequences hold for it as for any other.
_RELEASE = text(
    "UPDATE received_file SET outcome = 'applied', plaintext_sha256 = :plaintext_sha256, sequence = :sequence, "
    "record_count = :record_count, resolved_at = now(), resolved_by = :by, resolution = :resolution, "
    f"decision = 'released' WHERE file_id = :file_id AND {AWAITING_AN_OFFICER} RETURNING file_id"
)
# -- a rejection file is owed, in SQL: twin of domain/rejection_file.problems_for_the_agent (a quarantined file
# owes one while any of its problems is one the agent must hear of); tests/integration/agents_gateway/
# test_rejection_owed_rule.py holds the two to the same answers.
OWES_A_REJECTION = (
    "outcome = 'quarantined' AND rejection_file_id IS NULL AND EXISTS (SELECT 1 FROM "
    "jsonb_array_elements(problems) AS problem WHERE NOT (problem ->> 'code' = ANY(ARRAY["
    + ", ".join(f"'{code.value}'" for code in sorted(NOT_THE_AGENTS_FAULT))
    + "])))"
)
"""A quarantined file whose agent has not been sent its rejection file and must hear of one of its problems."""
_REJECTIONS_OWED = text(
    f"SELECT file_id, agent_code, sha256, sequence, problems FROM received_file WHERE {OWES_A_REJECTION} "
    "ORDER BY file_id"
)
_REJECTION_OWED_FOR = text(
    "SELECT file_id, agent_code, sha256, sequence, problems FROM received_file WHERE file_id = :file_id "
    "AND outcome = 'quarantined' AND rejection_file_id IS NULL FOR UPDATE"
)
_LINK_REJECTION = text("UPDATE received_file SET rejection_file_id = :sent WHERE file_id = :file_id")


class SentFileStore:
    """Files uploaded to agents."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_agent(self, agent_code: str) -> None:
        """One sender per agent at a time, whichever replica (held until the transaction ends)."""
        await self.session.execute(_LOCK, {"key": f"agents_gateway.outbound.{agent_code}"})

    async def next_sequence(self, agent_code: str) -> int:
        """The sequence number of the agent's next file."""
        return int((await self.session.execute(_NEXT_SEQUENCE, {"agent": agent_code})).scalar_one())

    async def record(self, sent: FileToRecord) -> int:
        """Record an uploaded file; its file id."""
        values = {name: getattr(sent, name) for name in FileToRecord.__dataclass_fields__}
        return int((await self.session.execute(_RECORD_SENT, values)).scalar_one())

    async def batch_sent_since(self, agent_code: str, since: datetime) -> bool:
        """Whether the agent's scheduled (not urgent) file of instructions has gone since this moment."""
        sent = (await self.session.execute(_BATCH_SENT_SINCE, {"agent": agent_code, "since": since})).scalar()
        return bool(sent)


class ReceivedFileStore:
    """Files fetched from agents."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def seen(self, agent_code: str, sha256: str) -> SeenFile | None:
        """The file with these bytes, if it was received before."""
        row = (await self.session.execute(_SEEN, {"agent": agent_code, "sha256": sha256})).one_or_none()
        return None if row is None else SeenFile(row.file_id, row.outcome)

    async def applied(self, agent_code: str) -> list[AppliedContent]:
        """The content hash and sequence of every file of this agent's applied."""
        rows = await self.session.execute(_APPLIED, {"agent": agent_code})
        return [AppliedContent(*row) for row in rows.tuples()]

    async def record(self, received: ReceivedFile) -> int | None:
        """Record a received file; its file id, or None when the same bytes were recorded meanwhile."""
        values: dict[str, Any] = {name: getattr(received, name) for name in ReceivedFile.__dataclass_fields__}
        values["problems"] = json.dumps(received.problems)
        file_id = (await self.session.execute(_RECORD_RECEIVED, values)).scalar()
        return None if file_id is None else int(file_id)

    async def handled_names(self, agent_code: str) -> set[str]:
        """Names of the agent's files applied (or found already applied)."""
        return set((await self.session.execute(_HANDLED_NAMES, {"agent": agent_code})).scalars())

    async def quarantined(self, limit: int) -> list[QuarantinedFile]:
        """Quarantined files, newest first."""
        rows = await self.session.execute(_QUARANTINED, {"limit": limit})
        return [QuarantinedFile(*row) for row in rows.tuples()]

    async def resolve(
        self, file_id: int, resolved_by: str, resolution: str, decision: str = "resolved"
    ) -> bool:
        """An officer closes the alert of one quarantined file (`resolved`, or `discarded`); False when there is
        no such unresolved file."""
        done = (
            await self.session.execute(
                _DECIDE,
                {"by": resolved_by, "resolution": resolution, "file_id": file_id, "decision": decision},
            )
        ).scalar()
        return done is not None

    async def awaiting_an_officer(self) -> tuple[int, datetime | None]:
        """How many quarantined files no officer has dealt with, and when the oldest came."""
        count, oldest = (await self.session.execute(_QUARANTINE_COUNT)).one()
        return int(count), oldest

    async def kept(self, file_id: int) -> KeptFile | None:
        """A quarantined file awaiting an officer, as fetched, locked for this transaction."""
        row = (await self.session.execute(_KEPT, {"file_id": file_id})).one_or_none()
        return None if row is None else KeptFile(*row)

    async def release(
        self,
        file_id: int,
        plaintext_sha256: str,
        sequence: int,
        record_count: int,
        released_by: str,
        reason: str,
    ) -> bool:
        """The quarantined file, checked again and found good, is applied: recorded as applied and released by
        the officer. False when it no longer awaits an officer."""
        done = (
            await self.session.execute(
                _RELEASE,
                {
                    "file_id": file_id,
                    "plaintext_sha256": plaintext_sha256,
                    "sequence": sequence,
                    "record_count": record_count,
                    "by": released_by,
                    "resolution": reason,
                },
            )
        ).scalar()
        return done is not None

    async def rejections_owed(self) -> list[RejectionOwed]:
        """Quarantined files whose rejection file is owed to the agent and not yet sent."""
        return [RejectionOwed(*row) for row in (await self.session.execute(_REJECTIONS_OWED)).tuples()]

    async def rejection_owed_for(self, file_id: int) -> RejectionOwed | None:
        """The quarantined file, locked, when no rejection file has gone for it yet."""
        row = (await self.session.execute(_REJECTION_OWED_FOR, {"file_id": file_id})).one_or_none()
        return None if row is None else RejectionOwed(*row)

    async def link_rejection(self, file_id: int, rejection_file_id: int) -> None:
        """The rejection file sent for this quarantined file."""
        await self.session.execute(_LINK_REJECTION, {"sent": rejection_file_id, "file_id": file_id})
