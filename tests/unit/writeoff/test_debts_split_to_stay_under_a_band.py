"""A debt split to stay under a band is banded on its combined sum (Derby App.1 §10-11: the thresholds are of
the sum written off). Requests for one debtor, debt type and income code raised within the council's window
(90 days unless its bands file says otherwise) whose combined sum needs a higher band than any one of them are
flagged, the band is decided on the combined sum, and the decision says why."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from services.writeoff.domain import (
    BANDS_DIRECTORY,
    DEFAULT_SPLIT_DEBT_WINDOW_DAYS,
    RefusalCode,
    WriteOffRequest,
    assemble_schedule,
    banded_amount,
    parse_council_policy,
    required_band,
    schedule_hash,
    sign_schedule,
    split_debts,
)

from .write_off_lines import SIGNED_AT, a_line, an_approver, council_policy

DERBY = council_policy("derby")
HEAD = an_approver("hbs-1", "head_of_business_support_and_debt_management")
DIRECTOR = an_approver("dof-1", "director_of_finance")
MAY_1 = date(2024, 5, 1)


def _part(number: int, amount: str, requested_on: date, customer: str = "CUST-SPLIT") -> WriteOffRequest:
    """A request for part of customer CUST-SPLIT's sundry debt raised to income code INC-4410."""
    return dataclasses.replace(a_line(number, amount, customer_id=customer), requested_on=requested_on)


def _schedule(lines, related=(), policy=DERBY):
    return assemble_schedule("SCH-7", policy.council, lines, policy, related)


def _sign(schedule, approver):
    return sign_schedule(schedule, DERBY, approver, schedule_hash(schedule), SIGNED_AT, [], True)


def test_the_council_default_window_is_90_days() -> None:
    assert DEFAULT_SPLIT_DEBT_WINDOW_DAYS == 90
    assert DERBY.split_debt_window_days == 90


def test_two_6000_pound_parts_30_days_apart_need_the_director_of_finance_not_the_head() -> None:
    # £6,000 approved last month on another schedule; £6,000 more of the same debt now: £12,000 together,
    # beyond the Head's "up to £10,000" and within the Director's "£10,000 to £19,999".
    earlier = _part(1, "6000", MAY_1)
    now = _part(2, "6000", MAY_1 + timedelta(days=30))
    alone = _schedule([now])
    schedule = _schedule([now], [earlier])

    assert required_band(alone, DERBY).name == "head_of_business_support"
    assert banded_amount(schedule, DERBY) == 1_200_000
    assert required_band(schedule, DERBY).name == "director_of_finance"
    (split,) = split_debts(schedule, DERBY)
    assert split.request_ids == ("WO-00001", "WO-00002")
    assert split.on_schedule == ("WO-00002",) and split.elsewhere == ("WO-00001",)
    assert split.combined_pence == 1_200_000
    assert (split.largest_part_band, split.combined_band) == (
        "head_of_business_support",
        "director_of_finance",
    )
    assert "£12,000.00" in split.reason and "within 90 days" in split.reason


def test_the_head_cannot_sign_a_split_debt_the_director_can_and_the_decision_says_why() -> None:
    schedule = _schedule([_part(2, "6000", MAY_1 + timedelta(days=30))], [_part(1, "6000", MAY_1)])

    refused = _sign(schedule, HEAD)
    assert [r.code for r in refused.refusals] == [RefusalCode.BEYOND_BAND]
    assert "total £12,000.00" in refused.refusals[0].message
    assert "decided on their combined sum" in refused.refusals[0].message

    signed = _sign(schedule, DIRECTOR)
    assert signed.accepted and signed.decision is not None
    assert signed.decision.required_band == "director_of_finance"
    assert signed.decision.approved_total_pence == 600_000  # only this schedule's line is written off
    assert [s.combined_pence for s in signed.decision.split_debts] == [1_200_000]


def test_parts_raised_further_apart_than_the_window_are_not_summed() -> None:
    schedule = _schedule([_part(2, "6000", MAY_1 + timedelta(days=91))], [_part(1, "6000", MAY_1)])

    assert split_debts(schedule, DERBY) == ()
    assert required_band(schedule, DERBY).name == "head_of_business_support"


def test_the_window_is_the_councils_to_configure() -> None:
    text = _derby_text().replace("council: derby", "council: derby\nsplit_debt_window_days: 180", 1)
    policy = parse_council_policy(text)
    schedule = _schedule([_part(2, "6000", MAY_1 + timedelta(days=120))], [_part(1, "6000", MAY_1)], policy)

    assert policy.split_debt_window_days == 180
    assert required_band(schedule, policy).name == "director_of_finance"


def test_another_debtors_request_or_another_income_code_is_not_part_of_the_debt() -> None:
    now = _part(2, "6000", MAY_1)
    other_customer = _part(1, "6000", MAY_1, customer="CUST-OTHER")
    other_income = dataclasses.replace(_part(3, "6000", MAY_1), income_code="INC-9999")

    assert split_debts(_schedule([now], [other_customer, other_income]), DERBY) == ()


def test_parts_that_together_stay_within_the_band_are_not_flagged() -> None:
    # £3,000 + £4,000 = £7,000: still the Head's band, nothing to flag.
    schedule = _schedule([_part(2, "4000", MAY_1)], [_part(1, "3000", MAY_1)])

    assert split_debts(schedule, DERBY) == ()
    assert banded_amount(schedule, DERBY) == 400_000


def test_parts_on_the_same_schedule_are_flagged_and_already_banded_on_the_aggregate() -> None:
    schedule = _schedule([_part(1, "6000", MAY_1), _part(2, "6000", MAY_1 + timedelta(days=2))])

    (split,) = split_debts(schedule, DERBY)
    assert split.on_schedule == ("WO-00001", "WO-00002") and split.elsewhere == ()
    assert required_band(schedule, DERBY).name == "director_of_finance"


def test_a_split_debt_over_20000_pounds_goes_to_cabinet() -> None:
    # £15,000 now and £8,000 of the same debt a week ago: £23,000, "£20,000 and over: Cabinet approval".
    schedule = _schedule([_part(2, "15000", MAY_1 + timedelta(days=7))], [_part(1, "8000", MAY_1)])

    assert required_band(schedule, DERBY).name == "cabinet"
    refused = _sign(schedule, DIRECTOR)
    assert [r.code for r in refused.refusals] == [RefusalCode.COMMITTEE_DECISION_REQUIRED]
    assert "£23,000.00" in refused.refusals[0].message


def _derby_text() -> str:
    return (BANDS_DIRECTORY / "derby.yaml").read_text(encoding="utf-8")
