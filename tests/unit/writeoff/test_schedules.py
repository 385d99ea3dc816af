"""Schedules: the aggregate decides the band, and the canonical hash changes whenever any line changes."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.writeoff.domain import (
    Evidence,
    ScheduleAssemblyError,
    assemble_schedule,
    canonical_serialisation,
    required_band,
    schedule_hash,
)

from .write_off_lines import a_line, a_schedule, council_policy

DERBY = council_policy("derby")
NELC = council_policy("nelc")


def test_the_aggregate_not_the_largest_line_decides_the_band() -> None:
    schedule = a_schedule(*(a_line(n, "3000") for n in range(1, 5)))  # £12,000 of £3,000 lines
    assert schedule.aggregate_pence == 1_200_000
    assert required_band(schedule, DERBY).name == "director_of_finance"


def test_an_other_reason_on_one_line_sends_the_whole_schedule_to_the_top_band_where_the_council_says_so() -> (
    None
):
    # NELC: any other reason goes to the top level (DOMAIN.md 9), here Cabinet, whatever the amount.
    ordinary = a_line(1, "10", council="nelc", reason="statute_barred")
    other = a_line(2, "10", council="nelc", reason="other", written_report="written report")
    assert required_band(a_schedule(ordinary), NELC).name == "budget_holder"
    assert required_band(a_schedule(ordinary, other), NELC).name == "cabinet"


def test_derby_sends_an_other_reason_to_the_head_or_the_director_by_amount_not_to_cabinet() -> None:
    # Derby App.1 §8: final approval "to either the Head of Business Support and Debt Management or the
    # Director of Finance as Section 151 Officer". £10 + £10 other: the Head.
    other = a_line(2, "10", reason="other", written_report="written report")
    assert required_band(a_schedule(a_line(1, "10"), other), DERBY).name == "head_of_business_support"


def test_the_hash_is_a_sha256_and_does_not_depend_on_the_order_lines_were_added() -> None:
    first, second = a_line(1, 100), a_line(2, 200)
    forwards = a_schedule(first, second)
    backwards = a_schedule(second, first)
    assert schedule_hash(forwards) == schedule_hash(backwards)
    assert len(schedule_hash(forwards)) == 64
    assert canonical_serialisation("SCH-1", "derby", [first, second]).startswith(b'{"council":"derby"')


@pytest.mark.parametrize(
    "change",
    [
        {"amount_pence": 101},
        {"reason_code": "statute_barred"},
        {"customer_id": "CUST-OTHER"},
        {"debt_id": "DEBT-OTHER"},
        {"income_code": "INC-9999"},
        {"requested_by": "someone-else"},
        {"evidence": (Evidence("trace_report", "TR-2"),)},
    ],
)
def test_any_change_to_a_line_changes_the_schedule_hash(change: dict[str, Any]) -> None:
    line = a_line(1, 100)
    assert schedule_hash(a_schedule(line)) != schedule_hash(a_schedule(dataclasses.replace(line, **change)))


def test_adding_or_removing_a_line_changes_the_schedule_hash() -> None:
    one = a_schedule(a_line(1, 100))
    two = a_schedule(a_line(1, 100), a_line(2, 100))
    assert schedule_hash(one) != schedule_hash(two)


def test_the_same_lines_under_another_schedule_number_hash_differently() -> None:
    line = a_line(1, 100)
    assert schedule_hash(a_schedule(line, schedule_id="A")) != schedule_hash(
        a_schedule(line, schedule_id="B")
    )


@given(st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=30))
def test_the_aggregate_is_the_sum_of_the_lines(amounts: list[int]) -> None:
    schedule = a_schedule(*(a_line(n, amount) for n, amount in enumerate(amounts)))
    assert schedule.aggregate_pence == sum(amounts)


def test_an_empty_schedule_cannot_be_assembled() -> None:
    with pytest.raises(ScheduleAssemblyError):
        assemble_schedule("S", "derby", [], DERBY)


def test_the_same_request_cannot_appear_twice() -> None:
    with pytest.raises(ScheduleAssemblyError, match="twice"):
        assemble_schedule("S", "derby", [a_line(1, 100), a_line(1, 100)], DERBY)


def test_another_councils_request_cannot_join_the_schedule() -> None:
    with pytest.raises(ScheduleAssemblyError, match="belongs to"):
        assemble_schedule("S", "derby", [a_line(1, 100, council="nelc")], DERBY)


def test_lines_under_different_band_tables_cannot_share_a_schedule() -> None:
    lines = [a_line(1, 100, council="nelc"), a_line(2, 100, council="nelc", debt_type="council_tax")]
    with pytest.raises(ScheduleAssemblyError, match="same approval band table"):
        assemble_schedule("S", "nelc", lines, NELC)
