"""The rejection file: our answer to an agent whose file we quarantined, listing every problem found in it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from services.agents_gateway.domain.file_format import FORMAT_VERSION, FileHeader, FileKind, build_agent_file
from services.agents_gateway.domain.file_validation import AgentFileReport, FileProblem, ProblemCode
from services.agents_gateway.domain.openpgp import (
    BadSignatureError,
    DamagedMessageError,
    OpenPgpError,
    WrongKeyError,
)
from services.agents_gateway.domain.records import FileProblemRecord

NOT_THE_AGENTS_FAULT = frozenset({ProblemCode.COUNCIL_KEY_UNUSABLE})
"""Problems of a quarantined file that are the council's to fix (our own key failing), never told to the agent."""


def the_agent_must_hear_of(code: ProblemCode) -> bool:
    """Whether a rejection file tells the agent of this problem (everything but the council's own faults)."""
    return code not in NOT_THE_AGENTS_FAULT


def problems_for_the_agent(problems: Iterable[Mapping[str, Any]]) -> list[FileProblem]:
    """The problems of a quarantined file's report (as kept) that the agent must hear of; a rejection file is
    owed only when there is at least one."""
    return [
        FileProblem(ProblemCode(p["code"]), p["message"], p.get("line"), p.get("case_reference"))
        for p in problems
        if the_agent_must_hear_of(ProblemCode(p["code"]))
    ]


def problem_for_openpgp_error(error: OpenPgpError) -> FileProblem:
    """The report entry for a file that failed decryption or signature checking."""
    if isinstance(error, WrongKeyError):
        code = ProblemCode.WRONG_KEY
    elif isinstance(error, BadSignatureError):
        code = ProblemCode.BAD_SIGNATURE
    elif isinstance(error, DamagedMessageError):
        code = ProblemCode.DAMAGED_CIPHERTEXT
    else:
        # Our own key material failed: not the agent's fault, but the file still cannot be applied.
        code = ProblemCode.COUNCIL_KEY_UNUSABLE
    return FileProblem(code, str(error))


def rejection_records(
    rejected_file_sha256: str, rejected_sequence: int | None, problems: list[FileProblem]
) -> list[FileProblemRecord]:
    """One file_problem record per problem, in line order."""
    return [
        FileProblemRecord(
            rejected_file_sha256=rejected_file_sha256,
            rejected_file_sequence=rejected_sequence,
            line=problem.line,
            code=problem.code.value,
            message=problem.message,
            case_reference=problem.case_reference,
        )
        for problem in problems
    ]


def build_rejection_file(
    report: AgentFileReport,
    council: str,
    agent: str,
    sequence: int,
    created_at: datetime,
    extra_problems: list[FileProblem] | None = None,
) -> bytes:
    """A file_rejection file telling the agent why their file was quarantined.

    `report` is the validator's report on the decrypted file. When the file never decrypted (wrong key, bad
    signature, damaged ciphertext) pass an empty report carrying the ciphertext hash and the cryptographic
    problem in `extra_problems`. `sequence` is our next outbound sequence number for this agent.
    """
    problems = [*(extra_problems or []), *report.problems]
    if not problems:
        raise ValueError("a rejection file needs at least one problem to report")
    rejected_sequence = report.header.sequence if report.header is not None else None
    header = FileHeader(
        format_version=FORMAT_VERSION,
        file_kind=FileKind.FILE_REJECTION,
        agent=agent,
        council=council,
        sequence=sequence,
        created_at=created_at,
    )
    return build_agent_file(header, rejection_records(report.file_sha256, rejected_sequence, problems))
