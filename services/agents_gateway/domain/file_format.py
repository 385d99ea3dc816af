"""The agent file format, versions 1.0 and 1.1 (1.1 adds the breathing space scope to holds): JSON lines framed by a header line and a trailer line.

    line 1        {"kind":"header","format_version":"1.0","file_kind":...,"agent":...,"council":...,
                   "sequence":N,"created_at":"...Z"}
    lines 2..n+1  one record per line (see records.py)
    line n+2      {"kind":"trailer","record_count":n,"total_pence":T,"records_sha256":"<hex>"}

Each line ends with a single LF and is UTF-8. The trailer's hash is SHA-256 over the exact bytes of the record
lines, LFs included. FILE_FORMAT.md is the agent-facing description; this module builds files in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from services.agents_gateway.domain.records import AnyRecord

FORMAT_VERSION = "1.0"
"""The version the gateway writes unless an agent's registry entry names a later one (and agents' files use)."""
HOLD_SCOPE_VERSION = "1.1"
"""Adds the breathing space scope to `hold` records (domain/breathing_space_scope.py)."""
SUPPORTED_FORMAT_VERSIONS: frozenset[str] = frozenset({FORMAT_VERSION, HOLD_SCOPE_VERSION})

FIELDS_ADDED_IN: dict[str, dict[str, frozenset[str]]] = {
    HOLD_SCOPE_VERSION: {
        "hold": frozenset(
            {
                "protected_up_to",
                "moratorium_pence",
                "ongoing_liabilities_pence",
                "ongoing_liabilities_from",
                "ongoing_liabilities_action",
            }
        )
    },
}
"""Record fields each version added: a file in an earlier version leaves them out, since an agent reading that
version refuses fields it does not know (FILE_FORMAT.md)."""


def _version(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def fields_unknown_in(version: str, record_kind: str) -> frozenset[str]:
    """The fields of a record kind that an agent reading files of `version` does not know."""
    unknown: set[str] = set()
    for added_in, by_kind in FIELDS_ADDED_IN.items():
        if _version(added_in) > _version(version):
            unknown |= by_kind.get(record_kind, frozenset())
    return frozenset(unknown)


class FileKind(StrEnum):
    """What a file carries, and so which record kinds may appear in it."""

    COUNCIL_INSTRUCTIONS = "council_instructions"
    AGENT_RETURNS = "agent_returns"
    FILE_REJECTION = "file_rejection"


RECORD_KINDS_BY_FILE_KIND: dict[FileKind, frozenset[str]] = {
    FileKind.COUNCIL_INSTRUCTIONS: frozenset(
        {"placement", "amendment", "hold", "hold_lifted", "recall", "return_requested"}
    ),
    FileKind.AGENT_RETURNS: frozenset(
        {
            "placement_acknowledged",
            "placement_rejected",
            "payment_collected",
            "fee_charged",
            "status_update",
            "vulnerability_referral",
            "case_returned",
        }
    ),
    FileKind.FILE_REJECTION: frozenset({"file_problem"}),
}


class FileHeader(BaseModel):
    """The first line: who sent the file to whom, what it carries, and its place in the sender's sequence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["header"] = "header"
    format_version: str
    file_kind: FileKind
    agent: str = Field(min_length=1, max_length=20)
    council: str = Field(min_length=1, max_length=60)
    sequence: int = Field(ge=1)
    created_at: AwareDatetime

    @field_validator("created_at")
    @classmethod
    def _in_utc(cls, moment: datetime) -> datetime:
        return moment.astimezone(UTC)


class FileTrailer(BaseModel):
    """The last line: how many records, how much money, and a hash proving the records arrived whole."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["trailer"] = "trailer"
    record_count: int = Field(ge=0)
    total_pence: int
    records_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


def serialise_record(record: AnyRecord, format_version: str = FORMAT_VERSION) -> bytes:
    """One record as its file line, LF included. Absent optional fields are left out, and so are fields added in a
    later format version than the file's."""
    later = fields_unknown_in(format_version, record.kind)
    return record.model_dump_json(exclude_none=True, exclude=set(later) or None).encode("utf-8") + b"\n"


def build_agent_file(header: FileHeader, records: Sequence[AnyRecord]) -> bytes:
    """The file's bytes: header, records in the order given, and a trailer computed from them.

    Raises ValueError when a record's kind does not belong in the header's file kind (a payment in an outbound
    file, say), because the agent would reject the whole file for it.
    """
    if header.format_version not in SUPPORTED_FORMAT_VERSIONS:
        raise ValueError(f"cannot build format version {header.format_version!r}")
    allowed = RECORD_KINDS_BY_FILE_KIND[header.file_kind]
    record_lines: list[bytes] = []
    total = 0
    for position, record in enumerate(records):
        if record.kind not in allowed:
            raise ValueError(
                f"record {position + 1} is a {record.kind}, which a {header.file_kind.value} file cannot carry"
            )
        record_lines.append(serialise_record(record, header.format_version))
        total += record.trailer_amount
    body = b"".join(record_lines)
    trailer = FileTrailer(
        record_count=len(record_lines), total_pence=total, records_sha256=hashlib.sha256(body).hexdigest()
    )
    return (
        header.model_dump_json().encode("utf-8")
        + b"\n"
        + body
        + trailer.model_dump_json().encode("utf-8")
        + b"\n"
    )


def agent_file_name(header: FileHeader, encrypted: bool = True) -> str:
    """The name a file is uploaded under: council, agent, kind and zero-padded sequence, e.g.
    `derby_BRISTOW_council_instructions_000042.jsonl.pgp`. Names sort in sequence order."""
    suffix = ".jsonl.pgp" if encrypted else ".jsonl"
    return f"{header.council}_{header.agent}_{header.file_kind.value}_{header.sequence:06d}{suffix}"
