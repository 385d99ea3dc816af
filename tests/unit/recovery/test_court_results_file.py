"""A court results file is read whole: every bad row is named with its line and why, so that a file with one bad
row is quarantined whole and nothing in it is applied (COURT_RESULTS.md)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.recovery.domain.court_results_file import parse_court_results, sha256_of
from services.recovery.domain.regulated_path import CourtOutcome

HEADER = "case_id,account_reference,heard_on,outcome,court_reference,costs_awarded_pence,adjourned_to\n"


def a_file(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode()


def test_a_good_file_gives_each_summons_its_outcome():
    granted, adjourned, withdrawn, paid = uuid4(), uuid4(), uuid4(), uuid4()
    parsed = parse_court_results(
        a_file(
            f"{granted},CT-1,2026-07-01,granted,DMC/LO/1,4000,",
            f"{adjourned},,2026-07-01,adjourned,,,2026-07-15",
            "",
            f"{withdrawn},CT-3,2026-07-01,withdrawn,,,",
            f"{paid},CT-4,2026-07-01,PAID,,,",
        )
    )
    assert parsed.problems == ()
    assert [(r.line, r.case_id, r.result.outcome) for r in parsed.rows] == [
        (2, granted, CourtOutcome.GRANTED),
        (3, adjourned, CourtOutcome.ADJOURNED),
        (5, withdrawn, CourtOutcome.WITHDRAWN),
        (6, paid, CourtOutcome.PAID),
    ]
    order = parsed.rows[0]
    assert (order.account_reference, order.result.court_reference, order.result.costs_awarded) == (
        "CT-1",
        "DMC/LO/1",
        4000,
    )
    assert parsed.rows[1].result.adjourned_to == date(2026, 7, 15)


def test_the_columns_may_come_in_any_order_and_the_optional_ones_may_be_left_out():
    case = uuid4()
    parsed = parse_court_results(a_file(f"withdrawn,2026-07-01,{case}", header="outcome,heard_on,case_id\n"))
    assert parsed.problems == () and parsed.rows[0].case_id == case


def test_every_bad_row_is_named_with_its_line_and_why():
    good, twice = uuid4(), uuid4()
    parsed = parse_court_results(
        a_file(
            f"{good},,2026-07-01,granted,DMC/LO/1,4000,",
            "not-a-case,,2026-07-01,withdrawn,,,",
            f"{uuid4()},,1 July 2026,withdrawn,,,",
            f"{uuid4()},,2026-07-01,granted,,4000,",
            f"{uuid4()},,2026-07-01,granted,DMC/LO/2,forty pounds,",
            f"{uuid4()},,2026-07-01,adjourned,,,",
            f"{uuid4()},,2026-07-01,withdrawn,DMC/LO/3,,",
            f"{uuid4()},,2026-07-01,struck out,,,",
            f"{twice},,2026-07-01,paid,,,",
            f"{twice},,2026-07-01,withdrawn,,,",
            f"{uuid4()},,2026-07-01,paid",
        )
    )
    reasons = {p.line: p.reason for p in parsed.problems}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 11, 12]
    assert "not a case id" in reasons[3]
    assert "not a date" in reasons[4]
    assert "court_reference" in reasons[5]
    assert "whole number of pence" in reasons[6]
    assert "adjourned_to" in reasons[7]
    assert "only a granted order" in reasons[8]
    assert "struck out" in reasons[9]
    assert "second row for this summons (the first is on line 10)" in reasons[11]
    assert "7 columns" in reasons[12]
    assert parsed.problems[0].case_id is None  # the line whose case id could not be read
    assert [r.case_id for r in parsed.rows] == [good, twice]


def test_a_file_without_the_required_columns_is_refused_at_its_header():
    parsed = parse_court_results(a_file(f"{uuid4()},granted", header="case_id,result\n"))
    reasons = [p.as_text() for p in parsed.problems]
    assert "line 1: unknown column 'result'" in reasons[0]
    assert any("'heard_on' is missing" in r for r in reasons)
    assert any("'outcome' is missing" in r for r in reasons)
    assert parsed.rows == ()


def test_an_empty_file_or_one_with_no_rows_is_refused():
    assert "empty" in parse_court_results(b"").problems[0].reason
    assert "no rows" in parse_court_results(HEADER.encode()).problems[0].reason
    assert "UTF-8" in parse_court_results(b"\xff\xfe\x00c").problems[0].reason


def test_a_file_is_known_by_the_sha256_of_its_bytes():
    content = a_file(f"{uuid4()},,2026-07-01,withdrawn,,,")
    assert parse_court_results(content).sha256 == sha256_of(content) == sha256_of(bytes(content))
    assert sha256_of(content + b"\n") != sha256_of(content)
