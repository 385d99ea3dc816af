"""A policy file that is inconsistent is refused with its line and the reason."""

from __future__ import annotations

import pytest

from services.recovery.domain.policy import StepKind
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_book

from .timetable_walk import POLICIES_DIR, shipped_books

GOOD = """\
council: testshire
policies:
  - debt_type: sundry
    steps:
      - name: first_reminder
        kind: reminder
        days: 14
        after: due_date
      - name: final_notice
        kind: final_notice
        days: 7
        after: previous_step
"""


def _refusal(text: str) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as refused:
        load_policy_book(text, source="testshire.yaml")
    return refused.value


def test_a_consistent_policy_file_loads():
    book = load_policy_book(GOOD, source="testshire.yaml")
    (policy,) = book.policies
    assert [step.kind for step in policy.steps] == [StepKind.REMINDER, StepKind.FINAL_NOTICE]
    assert policy.steps[0].line == 5


def test_every_shipped_policy_file_loads():
    assert set(shipped_books()) == {"derby", "sundry_policy_council", "nelc", "rbwm"}


def test_an_unknown_step_kind_is_refused_with_its_line():
    error = _refusal(GOOD.replace("kind: final_notice", "kind: strongly_worded_letter"))
    assert error.line == 10
    assert "unknown step kind 'strongly_worded_letter'" in error.reason
    assert str(error).startswith("testshire.yaml:10:")


def test_a_duplicate_step_is_refused_with_its_line():
    error = _refusal(GOOD.replace("name: final_notice", "name: first_reminder"))
    assert error.line == 9
    assert "duplicate step 'first_reminder'" in error.reason
    assert "line 5" in error.reason


def test_negative_days_are_refused_with_their_line():
    error = _refusal(GOOD.replace("days: 7", "days: -7"))
    assert error.line == 11
    assert "must not be negative" in error.reason


def test_an_unknown_debt_type_is_refused_with_its_line():
    error = _refusal(GOOD.replace("debt_type: sundry", "debt_type: dog_licence"))
    assert error.line == 3
    assert "unknown debt type 'dog_licence'" in error.reason


def test_a_referral_before_the_final_notice_of_a_regulated_debt_is_refused():
    text = """\
council: testshire
policies:
  - debt_type: housing_benefit_overpayment
    steps:
      - kind: reminder
        days: 14
        after: due_date
      - kind: collection_agency_referral
        days: 14
        after: previous_step
      - kind: final_notice
        days: 7
        after: previous_step
"""
    error = _refusal(text)
    assert error.line == 8
    assert "before a final notice" in error.reason


def test_the_same_referral_before_a_final_notice_is_allowed_for_unregulated_sundry_debt():
    text = """\
council: testshire
policies:
  - debt_type: sundry
    steps:
      - kind: reminder
        days: 14
        after: due_date
      - kind: collection_agency_referral
        days: 14
        after: previous_step
"""
    assert load_policy_book(text).policies[0].steps[1].is_agent_referral


def test_enforcement_agents_on_council_tax_need_a_liability_order_first():
    text = """\
council: testshire
policies:
  - debt_type: council_tax
    steps:
      - kind: reminder
        days: 14
        after: due_date
      - kind: final_notice
        days: 14
        after: due_date
      - kind: enforcement_agent_referral
        days: 14
        after: previous_step
"""
    error = _refusal(text)
    assert error.line == 11
    assert "liability order" in error.reason


def test_a_liability_order_without_a_summons_is_refused():
    text = """\
council: testshire
policies:
  - debt_type: council_tax
    steps:
      - kind: reminder
        days: 14
        after: due_date
      - kind: liability_order
        days: 14
        after: previous_step
"""
    assert _refusal(text).line == 8


def test_a_summons_for_sundry_debt_is_refused():
    error = _refusal(GOOD.replace("kind: final_notice", "kind: summons"))
    assert error.line == 9
    assert "only for council tax and business rates" in error.reason


def test_a_misspelt_key_is_refused_rather_than_ignored():
    error = _refusal(GOOD.replace("after: previous_step", "afterr: previous_step"))
    assert error.line == 12
    assert "unknown key 'afterr'" in error.reason


def test_a_step_without_its_timing_is_refused():
    error = _refusal(GOOD.replace("        after: previous_step\n", ""))
    assert error.line == 9
    assert "'after'" in error.reason


def test_the_first_step_cannot_be_timed_from_a_previous_step():
    error = _refusal(GOOD.replace("after: due_date", "after: previous_step"))
    assert error.line == 5


def test_the_write_off_request_must_be_the_last_step():
    error = _refusal(GOOD.replace("kind: reminder", "kind: write_off_request"))
    assert error.line == 5
    assert "last step" in error.reason


def test_costs_must_be_whole_pence():
    error = _refusal(GOOD.replace("        days: 7\n", "        days: 7\n        costs_pence: 70.50\n"))
    assert error.line == 12
    assert "whole number" in error.reason


def test_a_condition_that_can_never_hold_is_refused():
    text = GOOD.replace(
        "        days: 7\n", "        days: 7\n        conditions: {min_defaults: 3, max_defaults: 2}\n"
    )
    assert _refusal(text).line == 12


def test_two_policies_for_the_same_debt_type_are_refused():
    text = GOOD + GOOD.split("policies:\n", 1)[1]
    error = _refusal(text)
    assert error.line == 13
    assert "line 3" in error.reason


def test_broken_yaml_is_refused_with_its_line():
    error = _refusal(GOOD.replace("        days: 7\n", "        days: [7\n"))
    assert error.line >= 11
    assert "not valid YAML" in error.reason


def test_an_unknown_enforcement_option_is_refused():
    error = _refusal(GOOD.replace("        days: 7\n", "        days: 7\n        opens: [thumbscrews]\n"))
    assert error.line == 12
    assert "thumbscrews" in error.reason


def test_every_letter_a_shipped_policy_sends_has_a_template():
    templates = {path.name for path in (POLICIES_DIR.parent / "letters").glob("*.j2")}
    for book in shipped_books().values():
        for policy in book.policies:
            for step in policy.steps:
                if step.contact:
                    assert step.letter_template in templates, (book.council, policy.debt_type, step.name)
