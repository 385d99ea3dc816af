"""A quarantined file is answered with a rejection file listing every problem."""

from __future__ import annotations

from datetime import UTC, datetime

from services.agents_gateway.domain.file_format import FileKind, build_agent_file
from services.agents_gateway.domain.file_validation import (
    AgentFileReport,
    ProblemCode,
    file_sha256,
    read_agent_file,
)
from services.agents_gateway.domain.openpgp import BadSignatureError, WrongKeyError
from services.agents_gateway.domain.records import FileProblemRecord
from services.agents_gateway.domain.rejection_file import build_rejection_file, problem_for_openpgp_error

from .conftest import header, payment

NOW = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


def test_the_rejection_file_lists_every_problem_of_the_quarantined_file() -> None:
    bad = build_agent_file(header(sequence=7), [payment("CT-1", 10_00), payment("CT-404", 5_00)])
    bad = bad.replace(b'"amount_pence":1000', b'"amount_pence":2000')
    report = read_agent_file(bad, FileKind.AGENT_RETURNS, "BRISTOW", "derby", {"CT-1"})
    rejection = build_rejection_file(report, "derby", "BRISTOW", sequence=12, created_at=NOW)
    read_back = read_agent_file(rejection, FileKind.FILE_REJECTION, "BRISTOW", "derby")
    assert read_back.acceptable
    assert read_back.header is not None and read_back.header.sequence == 12
    records = [record for record in read_back.records if isinstance(record, FileProblemRecord)]
    assert [record.code for record in records] == [
        ProblemCode.UNKNOWN_CASE.value,
        ProblemCode.TRAILER_TOTAL_MISMATCH.value,
        ProblemCode.TRAILER_HASH_MISMATCH.value,
    ]
    assert all(record.rejected_file_sha256 == file_sha256(bad) for record in records)
    assert all(record.rejected_file_sequence == 7 for record in records)
    assert records[0].line == 3 and records[0].case_reference == "CT-404"


def test_a_file_that_never_decrypted_is_rejected_with_the_cryptographic_reason() -> None:
    ciphertext = b"\x85\x01garbage"
    report = AgentFileReport(file_sha256=file_sha256(ciphertext))
    for error, code in [
        (WrongKeyError("not ours"), ProblemCode.WRONG_KEY),
        (BadSignatureError("bad"), ProblemCode.BAD_SIGNATURE),
    ]:
        rejection = build_rejection_file(
            report, "derby", "BRISTOW", 3, NOW, extra_problems=[problem_for_openpgp_error(error)]
        )
        records = read_agent_file(rejection, FileKind.FILE_REJECTION).records
        assert [record.code for record in records if isinstance(record, FileProblemRecord)] == [code.value]
