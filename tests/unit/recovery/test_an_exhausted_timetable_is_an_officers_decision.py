"""Issue 19: a timetable that has run out is an officer's decision (write off with a reason, legal action,
arrangement, cancel), not an automatic write-off request; only a council's explicit opt-in keeps the automatic
`uneconomic_to_pursue` request."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from services.recovery.domain.case import RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.exhausted_timetable import (
    DecisionAsked,
    ExhaustedDecision,
    ExhaustedDecisionError,
    awaits_decision,
    days_waiting,
    decide,
    due_for_decision_on,
    requests_write_off_by_itself,
)
from services.recovery.domain.holds import breathing_space_hold
from services.recovery.domain.policy import StepKind
from services.recovery.domain.policy_loader import load_policy_directory
from services.recovery.domain.step_engine import StepStatus, next_step

from .timetable_walk import POLICIES_DIR, shipped_policy, walk

DUE = date(2026, 5, 1)
TODAY = date(2026, 9, 1)


def _rent(**kwargs: object) -> RecoveryCaseState:
    return RecoveryCaseState(  # type: ignore[arg-type]
        case_id="r1", debt_type=DebtType.COUNCIL_HOUSING_RENT, due_date=DUE, balance=45_000, **kwargs
    )


def _exhausted_rent() -> RecoveryCaseState:
    policy = shipped_policy("derby", "council_housing_rent")
    case, taken = walk(policy, _rent(), DUE, DUE + timedelta(days=120))
    assert [name for name, _ in taken][-1] == "possession_or_money_claim"
    assert next_step(policy, case, DUE + timedelta(days=121)).status is StepStatus.EXHAUSTED
    return case


def test_no_shipped_policy_asks_for_a_write_off_by_itself_when_its_timetable_runs_out():
    for council, book in load_policy_directory(POLICIES_DIR).items():
        for policy in book.policies:
            assert not policy.write_off_when_exhausted, (council, policy.debt_type)
            assert not requests_write_off_by_itself(policy, 10_000)
            assert awaits_decision(policy, 10_000)


def test_an_exhausted_timetable_with_nothing_owed_waits_for_no_one():
    policy = shipped_policy("derby", "council_housing_rent")
    assert not awaits_decision(policy, 0)


def test_a_council_that_opts_in_still_has_recovery_ask_for_the_write_off_itself():
    policy = replace(shipped_policy("derby", "council_housing_rent"), write_off_when_exhausted=True)
    assert requests_write_off_by_itself(policy, 10_000)
    assert not awaits_decision(policy, 10_000)


def test_the_case_is_due_for_decision_the_day_after_its_last_step():
    assert due_for_decision_on(date(2026, 7, 1), date(2026, 7, 9)) == date(2026, 7, 2)
    assert due_for_decision_on(date(2026, 7, 1), date(2026, 7, 1)) == date(2026, 7, 1)
    assert due_for_decision_on(None, date(2026, 7, 9)) == date(2026, 7, 9)
    assert days_waiting(date(2026, 7, 2), date(2026, 7, 9)) == 7
    assert days_waiting(date(2026, 7, 9), date(2026, 7, 2)) == 0


def test_only_a_case_waiting_for_a_decision_can_be_decided():
    policy = shipped_policy("derby", "council_housing_rent")
    with pytest.raises(ExhaustedDecisionError, match="not waiting"):
        decide(policy, _rent(), DecisionAsked(ExhaustedDecision.ARRANGEMENT), TODAY, awaiting=False)


def test_a_write_off_decision_carries_the_officers_reason_and_evidence():
    policy = shipped_policy("derby", "council_housing_rent")
    asked = DecisionAsked(
        ExhaustedDecision.WRITE_OFF,
        notes="tenancy ended, no forwarding address",
        write_off_reason=WriteOffReason.ABSCONDED_UNTRACEABLE,
        evidence=("tracing agent: no trace 2026-08-20", "  "),
    )
    made = decide(policy, _exhausted_rent(), asked, TODAY, awaiting=True)
    assert made.write_off_reason is WriteOffReason.ABSCONDED_UNTRACEABLE
    assert made.evidence == ("tracing agent: no trace 2026-08-20", "tenancy ended, no forwarding address")
    assert made.keeps_waiting  # a refused write-off brings the case back to the tray


@pytest.mark.parametrize(
    ("reason", "evidence", "notes", "why"),
    [
        (None, ("traced",), "", "write-off reasons"),
        (WriteOffReason.ABSCONDED_UNTRACEABLE, (), "  ", "evidence"),
    ],
)
def test_a_write_off_needs_a_reason_and_evidence(reason, evidence, notes, why):
    policy = shipped_policy("derby", "council_housing_rent")
    asked = DecisionAsked(ExhaustedDecision.WRITE_OFF, notes, reason, evidence)
    with pytest.raises(ExhaustedDecisionError, match=why):
        decide(policy, _exhausted_rent(), asked, TODAY, awaiting=True)


def test_nothing_owed_is_not_written_off():
    policy = shipped_policy("derby", "council_housing_rent")
    asked = DecisionAsked(ExhaustedDecision.WRITE_OFF, "x", WriteOffReason.OTHER, ("report",))
    with pytest.raises(ExhaustedDecisionError, match="nothing is owed"):
        decide(policy, replace(_rent(), balance=0), asked, TODAY, awaiting=True)


def test_a_write_off_reason_goes_only_with_a_write_off():
    policy = shipped_policy("derby", "council_housing_rent")
    asked = DecisionAsked(ExhaustedDecision.CANCEL, "raised in error", WriteOffReason.OTHER)
    with pytest.raises(ExhaustedDecisionError, match="only with a write-off"):
        decide(policy, _rent(), asked, TODAY, awaiting=True)


def test_legal_action_takes_the_policys_legal_referral_step():
    policy = shipped_policy("derby", "council_housing_rent")
    recalled = StepTaken(
        "possession_or_money_claim", StepKind.LEGAL_REFERRAL, DUE + timedelta(days=49), recalled_on=TODAY
    )
    made = decide(
        policy,
        _rent(steps_taken=(recalled,)),
        DecisionAsked(ExhaustedDecision.LEGAL_ACTION),
        TODAY,
        awaiting=True,
    )
    assert made.legal_step is not None and made.legal_step.name == "possession_or_money_claim"
    assert not made.keeps_waiting and not made.already_with_legal


def test_legal_action_while_legal_services_still_have_the_case_makes_no_second_referral():
    policy = shipped_policy("derby", "council_housing_rent")
    made = decide(
        policy, _exhausted_rent(), DecisionAsked(ExhaustedDecision.LEGAL_ACTION), TODAY, awaiting=True
    )
    assert made.already_with_legal and not made.keeps_waiting


def test_no_legal_action_while_an_agent_has_the_case():
    policy = shipped_policy("derby", "housing_benefit_overpayment")
    agency = StepTaken("collection_agents", StepKind.COLLECTION_AGENCY_REFERRAL, DUE + timedelta(days=42))
    policy = replace(policy, steps=(*policy.steps, shipped_policy("derby", "council_housing_rent").steps[-1]))
    with pytest.raises(ExhaustedDecisionError, match="with an agent"):
        decide(
            policy,
            _rent(steps_taken=(agency,)),
            DecisionAsked(ExhaustedDecision.LEGAL_ACTION),
            TODAY,
            awaiting=True,
        )


def test_no_legal_action_in_a_breathing_space():
    policy = shipped_policy("derby", "council_housing_rent")
    held = _rent(holds=(breathing_space_hold(TODAY - timedelta(days=3), "BS-1"),))
    with pytest.raises(ExhaustedDecisionError, match="breathing_space"):
        decide(policy, held, DecisionAsked(ExhaustedDecision.LEGAL_ACTION), TODAY, awaiting=True)


def test_no_legal_action_where_the_policy_has_no_legal_step():
    policy = shipped_policy("derby", "housing_benefit_overpayment")
    assert not any(step.kind is StepKind.LEGAL_REFERRAL for step in policy.steps)
    with pytest.raises(ExhaustedDecisionError, match="no legal referral step"):
        decide(policy, _rent(), DecisionAsked(ExhaustedDecision.LEGAL_ACTION), TODAY, awaiting=True)


def test_cancelling_recovery_needs_the_reason():
    policy = shipped_policy("derby", "council_housing_rent")
    with pytest.raises(ExhaustedDecisionError, match="reason"):
        decide(policy, _rent(), DecisionAsked(ExhaustedDecision.CANCEL, " "), TODAY, awaiting=True)
    made = decide(
        policy, _rent(), DecisionAsked(ExhaustedDecision.CANCEL, "raised in error"), TODAY, awaiting=True
    )
    assert made.notes == "raised in error" and not made.keeps_waiting


def test_an_arrangement_decided_keeps_the_case_in_the_tray_until_the_arrangement_is_made():
    policy = shipped_policy("derby", "council_housing_rent")
    made = decide(policy, _rent(), DecisionAsked(ExhaustedDecision.ARRANGEMENT), TODAY, awaiting=True)
    assert made.keeps_waiting
