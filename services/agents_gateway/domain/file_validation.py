"""Read an agent file and report every problem in it, so a bad file is quarantined whole with one report.

Nothing here stops at the first fault: the header, every record and the trailer are all checked and each problem
is listed with its line number. A file is applied only when `AgentFileReport.acceptable` is true.

Problem messages name fields and rules, never the values in them, because a report may be logged or emailed
and record values are personal data.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Container
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import TypeAdapter, ValidationError

from services.agents_gateway.domain.file_format import (
    SUPPORTED_FORMAT_VERSIONS,
    FileHeader,
    FileKind,
    FileTrailer,
)
from services.agents_gateway.domain.records import (
    AnyRecord,
    InboundRecord,
    OutboundRecord,
    PaymentCollected,
    RejectionRecord,
)


class ProblemCode(StrEnum):
    """The kinds of fault a file can have; agents see these codes in the rejection file."""

    WRONG_KEY = "wrong_key"
    BAD_SIGNATURE = "bad_signature"
    DAMAGED_CIPHERTEXT = "damaged_ciphertext"
    # Our own key or passphrase failed: a council configuration fault, alerted on but not sent to the agent.
    COUNCIL_KEY_UNUSABLE = "council_key_unusable"
    EMPTY_FILE = "empty_file"
    BAD_HEADER = "bad_header"
    UNSUPPORTED_FORMAT_VERSION = "unsupported_format_version"
    WRONG_FILE_KIND = "wrong_file_kind"
    WRONG_AGENT = "wrong_agent"
    WRONG_COUNCIL = "wrong_council"
    TRUNCATED = "truncated"
    BAD_TRAILER = "bad_trailer"
    TRAILER_COUNT_MISMATCH = "trailer_count_mismatch"
    TRAILER_TOTAL_MISMATCH = "trailer_total_mismatch"
    TRAILER_HASH_MISMATCH = "trailer_hash_mismatch"
    INVALID_RECORD = "invalid_record"
    UNKNOWN_CASE = "unknown_case"
    DUPLICATE_PAYMENT_REFERENCE = "duplicate_payment_reference"
    # A different file under a sequence number already applied: a replay, never applied twice.
    SEQUENCE_ALREADY_APPLIED = "sequence_already_applied"
    # Bigger than the council accepts from this agent: quarantined unread (never held whole in memory).
    FILE_TOO_LARGE = "file_too_large"


@dataclass(frozen=True)
class FileProblem:
    """One fault: what, where (1-based line, the header being line 1) and, if a record, which case."""

    code: ProblemCode
    message: str
    line: int | None = None
    case_reference: str | None = None


@dataclass
class AgentFileReport:
    """The outcome of reading a file: what could be parsed, and every problem found."""

    file_sha256: str
    header: FileHeader | None = None
    trailer: FileTrailer | None = None
    records: list[AnyRecord] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def acceptable(self) -> bool:
        """True when the file may be applied (whole)."""
        return not self.problems

    def problems_with(self, code: ProblemCode) -> list[FileProblem]:
        """The problems of one kind, in line order."""
        return [problem for problem in self.problems if problem.code is code]


_RECORD_ADAPTERS: dict[FileKind, tuple[TypeAdapter[Any], TypeAdapter[Any]]] = {
    FileKind.COUNCIL_INSTRUCTIONS: (TypeAdapter(OutboundRecord), TypeAdapter(list[OutboundRecord])),
    FileKind.AGENT_RETURNS: (TypeAdapter(InboundRecord), TypeAdapter(list[InboundRecord])),
    FileKind.FILE_REJECTION: (TypeAdapter(RejectionRecord), TypeAdapter(list[RejectionRecord])),
}


def _describe(error: ValidationError) -> str:
    """Field paths and rules from a pydantic error, without the offending values."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'line'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False, include_context=False)
    )


def file_size_limit(agent_limit_bytes: int | None, default_limit_bytes: int) -> int:
    """The most bytes the council reads of one file from an agent: the agent's own limit in the registry, or
    the gateway's default."""
    return agent_limit_bytes if agent_limit_bytes is not None else default_limit_bytes


def file_too_large(size_bytes: int, limit_bytes: int) -> FileProblem:
    """The report for a file above the size limit (no line: nothing in it was read)."""
    return FileProblem(
        ProblemCode.FILE_TOO_LARGE,
        f"the file is {size_bytes:,} bytes, above the {limit_bytes:,}-byte limit the council accepts from "
        "this agent; it was not read. Split the returns into smaller files.",
    )


def file_sha256(content: bytes) -> str:
    """SHA-256 of a file's bytes as lower-case hex; the identity used to spot a file received twice."""
    return hashlib.sha256(content).hexdigest()


def read_agent_file(
    content: bytes,
    expected_file_kind: FileKind,
    expected_agent: str | None = None,
    expected_council: str | None = None,
    known_case_references: Container[str] | None = None,
) -> AgentFileReport:
    """Parse and check a decrypted agent file against the format and what we expect of it.

    `known_case_references` are the council's cases placed with this agent; a record about any other case is an
    `unknown_case` problem. Pass None to skip that check (e.g. when reading our own outbound files back).
    """
    report = AgentFileReport(file_sha256=file_sha256(content))
    if not content.strip():
        report.problems.append(FileProblem(ProblemCode.EMPTY_FILE, "the file has no lines"))
        return report

    # Locate the header and the last line by offset so the record bytes can be hashed without copying lines.
    header_end = content.find(b"\n")
    if header_end == -1:
        header_end = len(content)
    report.header = _check_header(
        content[:header_end], expected_file_kind, expected_agent, expected_council, report.problems
    )

    ends_with_newline = content.endswith(b"\n")
    body_end = len(content) - 1 if ends_with_newline else len(content)
    last_start = content.rfind(b"\n", 0, body_end) + 1
    trailer: FileTrailer | None = None
    if last_start > header_end:
        trailer = _parse_trailer(content[last_start:body_end])
    if trailer is None or not ends_with_newline:
        # No trailer as the last complete line: the file stopped early. Everything after the header is a record.
        report.problems.append(
            FileProblem(
                ProblemCode.TRUNCATED,
                "the file does not end with a complete trailer line; it was cut short",
                line=content.count(b"\n", 0, body_end) + 1,
            )
        )
        trailer = None
        records_start, records_end = min(header_end + 1, len(content)), len(content)
    else:
        records_start, records_end = header_end + 1, last_start
    report.trailer = trailer

    record_bytes = content[records_start:records_end]
    lines = record_bytes.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    report.records = _parse_records(lines, expected_file_kind, report.problems)

    _check_records_against_cases(report.records, lines, known_case_references, report.problems)
    if trailer is not None:
        _check_trailer(
            trailer, record_bytes, len(lines), report.records, last_line=len(lines) + 2, into=report
        )
    report.problems.sort(key=lambda problem: problem.line or 0)
    return report


def _check_header(
    line: bytes,
    expected_file_kind: FileKind,
    expected_agent: str | None,
    expected_council: str | None,
    problems: list[FileProblem],
) -> FileHeader | None:
    try:
        header = FileHeader.model_validate_json(line)
    except ValidationError as error:
        problems.append(
            FileProblem(ProblemCode.BAD_HEADER, f"line 1 is not a valid header: {_describe(error)}", 1)
        )
        return None
    if header.format_version not in SUPPORTED_FORMAT_VERSIONS:
        problems.append(
            FileProblem(
                ProblemCode.UNSUPPORTED_FORMAT_VERSION,
                f"format version {header.format_version} is not supported "
                f"(supported: {', '.join(sorted(SUPPORTED_FORMAT_VERSIONS))})",
                1,
            )
        )
    if header.file_kind is not expected_file_kind:
        problems.append(
            FileProblem(
                ProblemCode.WRONG_FILE_KIND,
                f"expected a {expected_file_kind.value} file, got {header.file_kind.value}",
                1,
            )
        )
    if expected_agent is not None and header.agent != expected_agent:
        problems.append(
            FileProblem(ProblemCode.WRONG_AGENT, f"the header names another agent than {expected_agent}", 1)
        )
    if expected_council is not None and header.council != expected_council:
        problems.append(
            FileProblem(
                ProblemCode.WRONG_COUNCIL, f"the header names another council than {expected_council}", 1
            )
        )
    return header


def _parse_trailer(line: bytes) -> FileTrailer | None:
    # A line that is not even trailer-shaped means the trailer is missing (truncation), not malformed.
    if b'"trailer"' not in line:
        return None
    try:
        return FileTrailer.model_validate_json(line)
    except ValidationError:
        return _MALFORMED_TRAILER


# Sentinel: a last line that claims to be a trailer but does not validate. Reported as bad_trailer.
_MALFORMED_TRAILER = FileTrailer.model_construct(record_count=-1, total_pence=0, records_sha256="")


def _parse_records(lines: list[bytes], file_kind: FileKind, problems: list[FileProblem]) -> list[AnyRecord]:
    one, many = _RECORD_ADAPTERS[file_kind]
    if lines and all(lines):
        # Fast path: the whole body as one JSON array, validated in a single call (pydantic-core, in Rust).
        # The cyclic garbage collector is paused meanwhile: 100,000 new models trigger repeated full
        # collections that would otherwise cost more than the validation itself.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return list(many.validate_json(b"[" + b",".join(lines) + b"]"))
        except ValidationError:
            pass  # fall through to line-by-line, which names every bad line
        finally:
            if collecting:
                gc.enable()
    records: list[AnyRecord] = []
    for index, line in enumerate(lines):
        line_number = index + 2
        if not line.strip():
            problems.append(FileProblem(ProblemCode.INVALID_RECORD, "blank line", line_number))
            continue
        try:
            records.append(one.validate_json(line))
        except ValidationError as error:
            problems.append(FileProblem(ProblemCode.INVALID_RECORD, _describe(error), line_number))
    return records


def _check_records_against_cases(
    records: list[AnyRecord],
    lines: list[bytes],
    known_case_references: Container[str] | None,
    problems: list[FileProblem],
) -> None:
    # Line numbers are only exact when every line parsed; otherwise invalid lines were already reported and
    # the remaining records are matched to their lines by skipping the ones that failed.
    invalid_lines = {problem.line for problem in problems if problem.code is ProblemCode.INVALID_RECORD}
    line_numbers = [number for number in range(2, len(lines) + 2) if number not in invalid_lines]
    seen_payments: dict[str, int] = {}
    for record, line_number in zip(records, line_numbers, strict=False):
        case_reference = getattr(record, "case_reference", None)
        if (
            known_case_references is not None
            and case_reference is not None
            and case_reference not in known_case_references
        ):
            problems.append(
                FileProblem(
                    ProblemCode.UNKNOWN_CASE,
                    "the case reference is not a case placed with this agent",
                    line_number,
                    case_reference,
                )
            )
        if isinstance(record, PaymentCollected):
            first = seen_payments.setdefault(record.payment_reference, line_number)
            if first != line_number:
                problems.append(
                    FileProblem(
                        ProblemCode.DUPLICATE_PAYMENT_REFERENCE,
                        f"the payment reference was already used on line {first}",
                        line_number,
                        case_reference,
                    )
                )


def _check_trailer(
    trailer: FileTrailer,
    record_bytes: bytes,
    line_count: int,
    records: list[AnyRecord],
    last_line: int,
    into: AgentFileReport,
) -> None:
    if trailer is _MALFORMED_TRAILER:
        into.problems.append(
            FileProblem(ProblemCode.BAD_TRAILER, "the last line is not a valid trailer", last_line)
        )
        into.trailer = None
        return
    if trailer.record_count != line_count:
        into.problems.append(
            FileProblem(
                ProblemCode.TRAILER_COUNT_MISMATCH,
                f"the trailer counts {trailer.record_count} records but the file has {line_count}",
                last_line,
            )
        )
    # Only a fully valid body has a meaningful total; with invalid records the count/hash already say enough.
    if len(records) == line_count:
        total = sum(record.trailer_amount for record in records)
        if trailer.total_pence != total:
            into.problems.append(
                FileProblem(
                    ProblemCode.TRAILER_TOTAL_MISMATCH,
                    f"the trailer total is {trailer.total_pence} pence but the records add up to {total}",
                    last_line,
                )
            )
    if hashlib.sha256(record_bytes).hexdigest() != trailer.records_sha256:
        into.problems.append(
            FileProblem(
                ProblemCode.TRAILER_HASH_MISMATCH,
                "the SHA-256 of the record lines does not match the trailer: the records were altered",
                last_line,
            )
        )
