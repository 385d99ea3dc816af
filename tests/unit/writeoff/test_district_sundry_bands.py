"""Sundry policy 9.4: up to £5,000 COB; £5,001-£10,000 SLB; £10,001-£25,000 Chief Executive or Deputy;
£25,001-£50,000 Executive; over £50,000 full Council."""

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

SUNDRY = council_policy("district_sundry")
COB_MEMBER = an_approver("cob-1", "corporate_operations_board_member")
CLERK = an_approver("clerk-1", "democratic_services_officer")


def _line(number: int, pounds: str):
    return a_line(number, pounds, council="district_sundry", reason="uneconomic_small_balance")


def _sign(schedule, approver):
    return sign_schedule(schedule, SUNDRY, approver, schedule_hash(schedule), SIGNED_AT, [], True)


def _committee(schedule, committee: str):
    return record_committee_decision(
        schedule, SUNDRY, committee, "MIN-88", date(2024, 9, 18), CLERK, schedule_hash(schedule), SIGNED_AT
    )


def test_a_30000_schedule_of_lines_each_under_5000_cannot_be_signed_by_a_cob_member() -> None:
    lines = [_line(n, "4999.99") for n in range(1, 7)] + [_line(7, "0.06")]  # £30,000.00 in all
    schedule = a_schedule(*lines)
    assert schedule.aggregate_pence == pounds_to_pence("30000")
    assert all(line.amount_pence < pounds_to_pence("5000") for line in schedule.lines)
    outcome = _sign(schedule, COB_MEMBER)
    assert not outcome.accepted
    assert [r.code for r in outcome.refusals] == [RefusalCode.COMMITTEE_DECISION_REQUIRED]
    assert "Executive" in outcome.refusals[0].message
    assert required_band(schedule, SUNDRY).name == "executive"


@pytest.mark.parametrize(
    ("pounds", "band"),
    [
        ("5000", "corporate_operations_board"),
        ("5000.01", "senior_leadership_board"),
        ("5001", "senior_leadership_board"),
        ("10000", "senior_leadership_board"),
        ("10001", "chief_executive"),
        ("25000", "chief_executive"),
        ("25000.01", "executive"),
        ("50000", "executive"),
        ("50000.01", "full_council"),
    ],
)
def test_sundry_band_boundaries_follow_the_table(pounds: str, band: str) -> None:
    assert SUNDRY.required_band(pounds_to_pence(pounds), "sundry").name == band


def test_5000_pounds_is_signed_by_a_cob_member_but_5001_goes_up_to_slb() -> None:
    assert _sign(a_schedule(_line(1, "5000")), COB_MEMBER).accepted
    refused = _sign(a_schedule(_line(1, "5001")), COB_MEMBER)
    assert refused.refusals[0].code is RefusalCode.BEYOND_BAND
    assert "SLB" in refused.refusals[0].message
    assert _sign(
        a_schedule(_line(1, "5001")), an_approver("slb-1", "senior_leadership_board_member")
    ).accepted


def test_the_chief_executive_or_deputy_signs_up_to_25000() -> None:
    schedule = a_schedule(_line(1, "20000"), _line(2, "5000"))
    assert _sign(schedule, an_approver("ce-1", "chief_executive")).accepted
    assert _sign(schedule, an_approver("dce-1", "deputy_chief_executive")).accepted
    assert not _sign(schedule, an_approver("slb-1", "senior_leadership_board_member")).accepted


def test_50000_exactly_is_decided_by_the_executive() -> None:
    outcome = _committee(a_schedule(_line(1, "50000")), "Executive")
    assert outcome.accepted


def test_over_50000_is_beyond_the_executive_and_needs_full_council() -> None:
    schedule = a_schedule(_line(1, "50000"), _line(2, "0.01"))
    beyond = _committee(schedule, "Executive")
    assert [r.code for r in beyond.refusals] == [RefusalCode.BEYOND_BAND]
    assert "Full Council" in beyond.refusals[0].message
    decided = _committee(schedule, "full council")
    assert decided.accepted
    assert decided.decision is not None and decided.decision.committee_decision is not None
    assert decided.decision.committee_decision.committee == "Full Council"


def test_sundry_policy_bands_do_not_cover_council_tax() -> None:
    from services.writeoff.domain import NoBandTableForDebtType

    with pytest.raises(NoBandTableForDebtType):
        SUNDRY.required_band(100, "council_tax")
