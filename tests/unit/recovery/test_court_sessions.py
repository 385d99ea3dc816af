"""A summons goes to the first liability order hearing at least 14 days after the day it is served (CT reg 35(2A)),
served by first class post on the second working day after posting (Interpretation Act 1978 s7). The court and its
sittings are the council's configuration; a council that recovers council tax with no sittings is refused at
start-up, and a summons is never issued without a hearing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.court_sessions import (
    CourtSessions,
    Hearing,
    Weekday,
    WeeklyHearings,
    summons_hearing,
)
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import StepKind
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_book, load_policy_directory
from services.recovery.domain.regulated_case import case_step
from services.recovery.domain.step_engine import StepStatus, take_step

from .test_regulated_path import ten_monthly_instalments

WEDNESDAYS = CourtSessions(
    "Derby Magistrates' Court",
    "St Mary's Gate, Derby DE1 3JR",
    weekly=(WeeklyHearings(Weekday.WEDNESDAY, time(10), date(2026, 4, 1), date(2027, 3, 31)),),
)

COUNCIL_TAX_WITHOUT_A_COURT = """
council: somewhere
policies:
  - debt_type: council_tax
    steps:
      - {name: first_reminder, kind: reminder, days: 30, after: due_date}
      - {name: final_notice, kind: final_notice, days: 30, after: due_date}
      - {name: summons, kind: summons, days: 14, after: previous_step, costs_pence: 8000}
"""


def test_a_summons_posted_on_a_monday_is_served_on_the_wednesday_and_heard_no_sooner_than_15_days_later():
    # Monday 1 June 2026: served Wednesday 3 June; 14 days elapse (4-17 June); Thursday 18 June is the earliest.
    assert WEDNESDAYS.served_on(date(2026, 6, 1)) == date(2026, 6, 3)
    assert WEDNESDAYS.earliest_hearing_day(date(2026, 6, 1)) == date(2026, 6, 18)
    assert WEDNESDAYS.hearing_for(date(2026, 6, 1)) == Hearing(date(2026, 6, 24), time(10))


def test_the_hearing_exactly_on_the_earliest_lawful_day_is_used():
    # Posted Friday 29 May 2026: served Tuesday 2 June; earliest Wednesday 17 June, a sitting day.
    assert WEDNESDAYS.hearing_for(date(2026, 5, 29)) == Hearing(date(2026, 6, 17), time(10))


def test_bank_holidays_are_not_days_of_post():
    # Posted Friday 22 May 2026; Monday 25 May is the spring bank holiday: served Wednesday 27 May.
    assert WEDNESDAYS.served_on(date(2026, 5, 22)) == date(2026, 5, 27)


def test_fortnightly_sittings_and_one_off_dates_are_both_sittings():
    court = CourtSessions(
        "Reading Magistrates' Court",
        "Castle Street, Reading RG1 7TQ",
        hearings=(Hearing(date(2026, 6, 19), time(14, 0)),),
        weekly=(
            WeeklyHearings(Weekday.TUESDAY, time(10), date(2026, 4, 7), date(2027, 3, 31), every_weeks=2),
        ),
    )
    # Earliest 18 June: the fortnightly Tuesdays are 16 and 30 June, so the one-off Friday sitting comes first.
    assert court.hearing_for(date(2026, 6, 1)) == Hearing(date(2026, 6, 19), time(14, 0))
    assert court.hearing_for(date(2026, 6, 8)) == Hearing(date(2026, 6, 30), time(10))


def test_no_sitting_far_enough_ahead_means_no_hearing():
    assert WEDNESDAYS.hearing_for(date(2027, 3, 20)) is None
    assert summons_hearing(WEDNESDAYS, date(2027, 3, 20), 80_00) is None


def test_the_summons_carries_the_court_the_hearing_and_the_costs_claimed():
    hearing = summons_hearing(WEDNESDAYS, date(2026, 6, 1), 80_00)
    assert hearing is not None
    assert (hearing.court_name, hearing.hearing.on, hearing.costs_claimed) == (
        "Derby Magistrates' Court",
        date(2026, 6, 24),
        80_00,
    )


def test_a_council_recovering_council_tax_without_court_sittings_is_refused_naming_it():
    with pytest.raises(PolicyFileError, match=r"council 'somewhere'.*no court sessions"):
        load_policy_book(COUNCIL_TAX_WITHOUT_A_COURT)


def test_a_court_block_without_any_sitting_is_refused():
    text = COUNCIL_TAX_WITHOUT_A_COURT.replace(
        "policies:", "court: {name: A Court, address: 1 High Street}\npolicies:"
    )
    with pytest.raises(PolicyFileError, match="no liability order hearings"):
        load_policy_book(text)


def test_a_court_block_is_read_with_its_sittings():
    text = COUNCIL_TAX_WITHOUT_A_COURT.replace(
        "policies:",
        'court:\n  name: A Court\n  address: 1 High Street\n  hearings: [{date: 2026-06-19, at: "14:00"}]\n'
        "  weekly: [{weekday: monday, at: 10:30, from: 2026-04-06, until: 2026-12-31}]\npolicies:",
    )
    (policy,) = load_policy_book(text).policies
    assert policy.court is not None
    assert policy.court.hearings == (Hearing(date(2026, 6, 19), time(14)),)
    assert policy.court.weekly[0].at == time(10, 30)


def test_every_shipped_council_with_council_tax_names_its_court():
    for council, book in load_policy_directory("services/recovery/policies").items():
        for policy in book.policies:
            if policy.regulated_terms is not None:
                assert policy.court is not None, council
                assert policy.court.hearing_for(date(2026, 9, 1)) is not None, council


def test_the_summons_waits_while_no_hearing_is_configured_far_enough_ahead():
    policy = load_policy_directory("services/recovery/policies")["derby"].policy_for(DebtType.COUNCIL_TAX)
    ledger = ten_monthly_instalments()
    state = RecoveryCaseState("c1", DebtType.COUNCIL_TAX, date(2026, 4, 1), ledger.charge)
    reminder = case_step(policy, state, ledger, (), date(2026, 5, 1))
    assert reminder.is_due and reminder.step is not None and reminder.step.kind is StepKind.REMINDER
    state = take_step(state, reminder.step, date(2026, 5, 1))
    due = case_step(policy, state, ledger, (), date(2026, 5, 16))
    assert due.is_due and due.step is not None and due.step.kind is StepKind.SUMMONS
    no_sittings = CourtSessions("A Court", "1 High Street", hearings=(Hearing(date(2026, 5, 20), time(10)),))
    waiting = case_step(replace(policy, court=no_sittings), state, ledger, (), date(2026, 5, 16))
    assert waiting.status is StepStatus.NOT_YET and waiting.eligible_from == date(2026, 5, 17)
    assert "no liability order hearing" in waiting.reason
