"""Outbound sequence numbers per agent and inbound duplicate detection."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.agents_gateway.domain.file_sequencing import (
    InboundFileVerdict,
    check_inbound_file,
    next_outbound_sequence,
)
from services.agents_gateway.domain.file_validation import file_sha256


def test_each_agent_has_its_own_outbound_sequence_starting_at_one() -> None:
    sent = {"BRISTOW": 41}
    assert next_outbound_sequence(sent, "BRISTOW") == 42
    assert next_outbound_sequence(sent, "COLLECTCO") == 1


def test_the_same_file_twice_is_applied_once() -> None:
    content = b"a file"
    first = check_inbound_file(file_sha256(content), 1, set(), set())
    assert first.apply
    second = check_inbound_file(file_sha256(content), 1, {file_sha256(content)}, {1})
    assert second.verdict is InboundFileVerdict.DUPLICATE_FILE
    assert not second.apply


def test_a_different_file_under_an_applied_sequence_number_is_a_replay() -> None:
    check = check_inbound_file(file_sha256(b"new"), 3, {file_sha256(b"old")}, {1, 2, 3})
    assert check.verdict is InboundFileVerdict.DUPLICATE_SEQUENCE


def test_a_gap_in_the_agents_sequence_is_reported_but_the_file_applied() -> None:
    check = check_inbound_file(file_sha256(b"five"), 5, set(), {1, 2})
    assert check.apply
    assert check.missing_sequences == (3, 4)


def test_a_late_file_filling_a_gap_is_not_reported_missing_itself() -> None:
    check = check_inbound_file(file_sha256(b"three"), 3, set(), {1, 2, 4, 5})
    assert check.apply
    assert check.missing_sequences == ()


@given(st.binary(), st.binary())
def test_different_files_have_different_hashes(first: bytes, second: bytes) -> None:
    assert (file_sha256(first) == file_sha256(second)) == (first == second)
