"""Derby appendix 1 §10-11: up to £10,000 Head of Business Support; £10,000-£19,999 Director of Finance;
£20,000 and over Cabinet."""

from __future__ import annotations

from datetime import date

import pytest

from services.writeoff.domain import (
    RefusalCode,
    record_committee_decision,
    required_band,
    schedule_hash,
    sign_schedule,
)
from shared.money import pounds_to_pence

from .write_off_lines import SIGNED_AT, a_line, a_schedule, an_approver, council_policy

DERBY = council_policy("derby")
HEAD = an_approver("hbs-1", "head_of_business_support_and_debt_management")
DIRECTOR = an_approver("dof-1", "director_of_finance")


def _sign(schedule, approver):
    return sign_schedule(schedule, DERBY, approver, schedule_hash(schedule), SIGNED_AT, [], True)


def test_a_12000_pound_derby_write_off_needs_the_director_of_finance() -> None:
    schedule = a_schedule(a_line(1, "12000"))
    assert required_band(schedule, DERBY).title == "Director of Finance as Section 151 Officer"
    outcome = _sign(schedule, DIRECTOR)
    assert outcome.accepted
    assert outcome.decision is not None
    assert outcome.decision.approved_total_pence == pounds_to_pence("12000")
    assert outcome.decision.signature is not None
    assert outcome.decision.signature.authority_band == "director_of_finance"


def test_a_12000_pound_derby_write_off_is_beyond_the_head_of_business_support_and_goes_up() -> None:
    outcome = _sign(a_schedule(a_line(1, "12000")), HEAD)
    assert not outcome.accepted
    [refusal] = outcome.refusals
    assert refusal.code is RefusalCode.BEYOND_BAND
    assert "Director of Finance" in refusal.message


@pytest.mark.parametrize(
    ("pounds", "band"),
    [
        ("0.01", "head_of_business_support"),
        ("9999.99", "head_of_business_support"),
        ("10000", "head_of_business_support"),  # "up to £10,000" includes £10,000
        ("10000.01", "director_of_finance"),
        ("19999", "director_of_finance"),
        ("19999.99", "director_of_finance"),  # "£10,000 to £19,999" runs to the pound below £20,000
        ("20000", "cabinet"),  # "£20,000 and over"
        ("250000", "cabinet"),
    ],
)
def test_derby_band_boundaries_follow_the_table(pounds: str, band: str) -> None:
    assert DERBY.required_band(pounds_to_pence(pounds), "council_tax").name == band


def test_exactly_10000_pounds_may_be_signed_by_the_head_of_business_support() -> None:
    assert _sign(a_schedule(a_line(1, "6000"), a_line(2, "4000")), HEAD).accepted


def test_a_schedule_of_small_debts_over_10000_in_aggregate_goes_to_the_director() -> None:
    lines = [a_line(n, "2000.01") for n in range(1, 6)]  # each small, £10,000.05 together
    schedule = a_schedule(*lines)
    assert required_band(schedule, DERBY).name == "director_of_finance"
    assert _sign(schedule, HEAD).refusals[0].code is RefusalCode.BEYOND_BAND


def test_the_director_of_finance_may_sign_a_schedule_within_a_lower_band() -> None:
    assert _sign(a_schedule(a_line(1, "500")), DIRECTOR).accepted


def test_20000_pounds_needs_a_cabinet_decision_not_an_officers_signature() -> None:
    schedule = a_schedule(a_line(1, "20000"))
    outcome = _sign(schedule, DIRECTOR)
    assert [r.code for r in outcome.refusals] == [RefusalCode.COMMITTEE_DECISION_REQUIRED]
    assert "Cabinet" in outcome.refusals[0].message


def test_a_cabinet_decision_is_recorded_with_its_meeting_reference_and_date() -> None:
    schedule = a_schedule(a_line(1, "20000"), a_line(2, "15000"))
    clerk = an_approver("clerk-1", "democratic_services_officer")
    outcome = record_committee_decision(
        schedule,
        DERBY,
        committee="Cabinet",
        meeting_reference="CAB 2024/07 item 12",
        meeting_date=date(2024, 7, 10),
        recorded_by=clerk,
        presented_hash=schedule_hash(schedule),
        recorded_at=SIGNED_AT,
    )
    assert outcome.accepted
    assert outcome.decision is not None
    record = outcome.decision.committee_decision
    assert record is not None
    assert (record.committee, record.meeting_reference, record.meeting_date) == (
        "Cabinet",
        "CAB 2024/07 item 12",
        date(2024, 7, 10),
    )
    assert outcome.decision.approved_total_pence == pounds_to_pence("35000")


def test_a_committee_decision_without_a_meeting_reference_is_refused() -> None:
    schedule = a_schedule(a_line(1, "25000"))
    outcome = record_committee_decision(
        schedule,
        DERBY,
        "Cabinet",
        "  ",
        date(2024, 7, 10),
        an_approver("clerk-1", "democratic_services_officer"),
        schedule_hash(schedule),
        SIGNED_AT,
    )
    assert [r.code for r in outcome.refusals] == [RefusalCode.MEETING_REFERENCE_MISSING]


def test_a_committee_the_council_does_not_have_cannot_decide() -> None:
    schedule = a_schedule(a_line(1, "25000"))
    outcome = record_committee_decision(
        schedule,
        DERBY,
        "Executive",
        "EX-1",
        date(2024, 7, 10),
        an_approver("clerk-1", "democratic_services_officer"),
        schedule_hash(schedule),
        SIGNED_AT,
    )
    assert [r.code for r in outcome.refusals] == [RefusalCode.NOT_A_COMMITTEE_OF_THIS_TABLE]


@pytest.mark.parametrize(
    ("pounds", "band"),
    [
        ("50", "head_of_business_support"),
        ("10000", "head_of_business_support"),  # "Up to £10,000"
        ("10000.01", "director_of_finance"),
        ("19999.99", "director_of_finance"),
        ("20000", "director_of_finance"),  # where an ordinary write-off would need Cabinet
        ("250000", "director_of_finance"),
    ],
)
def test_an_other_reason_goes_to_the_head_or_the_director_of_finance_by_amount_never_cabinet(
    pounds: str, band: str
) -> None:
    # App.1 §8: after the Debt Manager and the independent panel, "submit for final approval to either the Head
    # of Business Support and Debt Management or the Director of Finance as Section 151 Officer".
    line = a_line(
        1, pounds, reason="other", written_report="Report to the Debt Manager and panel, 3 May 2024"
    )
    assert required_band(a_schedule(line), DERBY).name == band
