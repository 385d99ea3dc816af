"""Building and reading agent files: header, records, trailer, and a report of every problem."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.agents_gateway.domain.file_format import FileKind, agent_file_name, build_agent_file
from services.agents_gateway.domain.file_validation import ProblemCode, read_agent_file
from services.agents_gateway.domain.records import (
    CaseReturned,
    FeeCharged,
    FeeStage,
    Hold,
    HoldReason,
    Recall,
    ReturnReason,
)

from .conftest import council_tax_placement, header, payment

KNOWN = {"CT-1", "CT-2", "CT-3"}


def _returns_file() -> bytes:
    return build_agent_file(
        header(),
        [
            payment("CT-1", 50_00),
            FeeCharged(
                case_reference="CT-2",
                stage=FeeStage.COMPLIANCE,
                amount_pence=75_00,
                charged_on=date(2024, 5, 1),
            ),
            CaseReturned(
                case_reference="CT-3",
                returned_on=date(2024, 5, 2),
                reason=ReturnReason.GONE_AWAY,
                balance_remaining_pence=300_00,
            ),
        ],
    )


def _codes(content: bytes, known: set[str] | None = KNOWN) -> list[ProblemCode]:
    report = read_agent_file(content, FileKind.AGENT_RETURNS, "BRISTOW", "derby", known)
    return [problem.code for problem in report.problems]


def test_a_returns_file_reads_back_as_the_records_built() -> None:
    content = _returns_file()
    report = read_agent_file(content, FileKind.AGENT_RETURNS, "BRISTOW", "derby", KNOWN)
    assert report.acceptable
    assert [record.kind for record in report.records] == ["payment_collected", "fee_charged", "case_returned"]
    assert report.trailer is not None
    assert report.trailer.record_count == 3
    # Payments and fees move money; a returned case does not.
    assert report.trailer.total_pence == 50_00 + 75_00


def test_the_file_has_a_header_line_and_a_trailer_line_around_the_records() -> None:
    lines = _returns_file().decode().splitlines()
    assert json.loads(lines[0])["kind"] == "header"
    assert json.loads(lines[0])["sequence"] == 1
    assert json.loads(lines[-1])["kind"] == "trailer"
    assert len(lines) == 5


def test_an_outbound_file_carries_placements_holds_and_recalls() -> None:
    records = [
        council_tax_placement("CT-1", 200_00),
        Hold(case_reference="CT-1", reason=HoldReason.BREATHING_SPACE, starts_on=date(2024, 5, 3)),
        Recall(case_reference="CT-1", recalled_on=date(2024, 5, 3), reason="breathing space"),
    ]
    content = build_agent_file(header(FileKind.COUNCIL_INSTRUCTIONS), records)
    report = read_agent_file(content, FileKind.COUNCIL_INSTRUCTIONS, "BRISTOW", "derby", {"CT-1"})
    assert report.acceptable
    assert report.records == records
    assert report.trailer is not None and report.trailer.total_pence == 200_00


def test_the_builder_refuses_a_payment_in_an_outbound_file() -> None:
    with pytest.raises(ValueError, match="payment_collected"):
        build_agent_file(header(FileKind.COUNCIL_INSTRUCTIONS), [payment("CT-1", 1)])


def test_a_council_tax_debt_cannot_be_placed_without_its_liability_order() -> None:
    placement = council_tax_placement("CT-1")
    raw = json.loads(placement.model_dump_json())
    del raw["debts"][0]["liability_order"]
    with pytest.raises(ValueError, match="liability order"):
        type(placement).model_validate(raw)


def test_a_record_about_a_case_never_placed_is_an_unknown_case_with_its_line() -> None:
    report = read_agent_file(_returns_file(), FileKind.AGENT_RETURNS, "BRISTOW", "derby", {"CT-1", "CT-3"})
    assert [(problem.code, problem.line, problem.case_reference) for problem in report.problems] == [
        (ProblemCode.UNKNOWN_CASE, 3, "CT-2")
    ]


def test_a_truncated_file_is_reported_as_truncated() -> None:
    content = _returns_file()
    cut = content[: content.rfind(b'{"kind":"trailer"') - 10]
    codes = _codes(cut)
    assert ProblemCode.TRUNCATED in codes
    assert ProblemCode.INVALID_RECORD in codes  # the half line


def test_a_file_cut_exactly_at_a_line_end_is_still_truncated() -> None:
    content = _returns_file()
    cut = content[: content.rfind(b'{"kind":"trailer"')]
    assert _codes(cut) == [ProblemCode.TRUNCATED]


def test_an_altered_amount_breaks_the_trailer_total_and_hash() -> None:
    content = _returns_file().replace(b'"amount_pence":5000', b'"amount_pence":9000')
    assert _codes(content) == [ProblemCode.TRAILER_TOTAL_MISMATCH, ProblemCode.TRAILER_HASH_MISMATCH]


def test_a_dropped_record_breaks_the_trailer_count() -> None:
    lines = _returns_file().split(b"\n")
    content = b"\n".join([lines[0], *lines[2:]])
    codes = _codes(content)
    assert ProblemCode.TRAILER_COUNT_MISMATCH in codes
    assert ProblemCode.TRAILER_HASH_MISMATCH in codes


def test_every_invalid_record_is_reported_with_its_line_number() -> None:
    lines = _returns_file().split(b"\n")
    lines[1] = lines[1].replace(b'"amount_pence":5000', b'"amount_pence":-5')
    lines[3] = b'{"kind":"case_returned","case_reference":"CT-3"'
    report = read_agent_file(b"\n".join(lines), FileKind.AGENT_RETURNS, "BRISTOW", "derby", KNOWN)
    invalid = report.problems_with(ProblemCode.INVALID_RECORD)
    assert [problem.line for problem in invalid] == [2, 4]
    assert "amount_pence" in invalid[0].message
    # The valid record in between is still checked against the known cases.
    assert len(report.records) == 1


def test_problem_messages_never_repeat_the_personal_data_in_the_record() -> None:
    lines = _returns_file().split(b"\n")
    lines[1] = lines[1].replace(b'"amount_pence":5000', b'"amount_pence":"Jane Example"')
    report = read_agent_file(b"\n".join(lines), FileKind.AGENT_RETURNS, "BRISTOW", "derby", KNOWN)
    assert report.problems
    assert all("Jane" not in problem.message for problem in report.problems)


def test_a_header_for_another_agent_council_or_kind_is_reported() -> None:
    content = build_agent_file(header(FileKind.AGENT_RETURNS, agent="OTHER"), [payment("CT-1", 1)])
    assert _codes(content) == [ProblemCode.WRONG_AGENT]
    report = read_agent_file(content, FileKind.COUNCIL_INSTRUCTIONS, "OTHER", "leicester", None)
    assert {problem.code for problem in report.problems} >= {
        ProblemCode.WRONG_FILE_KIND,
        ProblemCode.WRONG_COUNCIL,
    }


def test_an_unreadable_header_is_reported_and_the_records_still_checked() -> None:
    lines = _returns_file().split(b"\n")
    lines[0] = b'{"kind":"header","format_version":"9.9"}'
    codes = _codes(b"\n".join(lines), known={"CT-1", "CT-3"})
    assert codes == [ProblemCode.BAD_HEADER, ProblemCode.UNKNOWN_CASE]


def test_the_same_payment_reference_twice_in_one_file_is_reported() -> None:
    content = build_agent_file(header(), [payment("CT-1", 10_00, "P1"), payment("CT-2", 10_00, "P1")])
    report = read_agent_file(content, FileKind.AGENT_RETURNS, "BRISTOW", "derby", KNOWN)
    assert [(problem.code, problem.line) for problem in report.problems] == [
        (ProblemCode.DUPLICATE_PAYMENT_REFERENCE, 3)
    ]


def test_an_empty_file_is_reported() -> None:
    assert _codes(b"") == [ProblemCode.EMPTY_FILE]


def test_a_file_with_no_records_is_valid_with_a_zero_trailer() -> None:
    report = read_agent_file(
        build_agent_file(header(), []), FileKind.AGENT_RETURNS, "BRISTOW", "derby", KNOWN
    )
    assert report.acceptable
    assert report.trailer is not None and report.trailer.record_count == 0


def test_the_file_name_carries_council_agent_kind_and_sequence() -> None:
    assert agent_file_name(header(FileKind.COUNCIL_INSTRUCTIONS, 42)) == (
        "derby_BRISTOW_council_instructions_000042.jsonl.pgp"
    )


@settings(max_examples=40, deadline=None)
@given(amounts=st.lists(st.integers(min_value=1, max_value=10_000_000), max_size=30), flip=st.data())
def test_changing_any_single_byte_of_a_record_line_never_goes_unnoticed(
    amounts: list[int], flip: st.DataObject
) -> None:
    content = build_agent_file(header(), [payment(f"CT-{i}", amount) for i, amount in enumerate(amounts)])
    known = {f"CT-{i}" for i in range(len(amounts))}
    assert read_agent_file(content, FileKind.AGENT_RETURNS, "BRISTOW", "derby", known).acceptable
    if not amounts:
        return
    body_start = content.index(b"\n") + 1
    body_end = content.rindex(b'{"kind":"trailer"')
    position = flip.draw(st.integers(min_value=body_start, max_value=body_end - 1))
    altered = bytearray(content)
    altered[position] = (altered[position] + 1) % 256
    report = read_agent_file(bytes(altered), FileKind.AGENT_RETURNS, "BRISTOW", "derby", known)
    assert not report.acceptable
