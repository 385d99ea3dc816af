"""Holds: a held case takes no step; breathing space counts from its start even when it arrives late."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.recovery.domain.breathing_space import apply_breathing_space, breathing_space_effect
from services.recovery.domain.case import RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.holds import (
    Hold,
    HoldError,
    HoldKind,
    appeal_hold,
    breathing_space_hold,
    dispute_hold,
    end_mental_health_crisis,
    hardship_deferral,
    manual_hold,
    mental_health_crisis_hold,
    overdue_disputes,
    vulnerability_hold,
)
from services.recovery.domain.policy import StepKind
from services.recovery.domain.step_engine import StepStatus, next_step

from .timetable_walk import shipped_policy, walk

DUE = date(2025, 5, 1)


def _sundry_case(**kwargs: object) -> RecoveryCaseState:
    return RecoveryCaseState(case_id="c1", debt_type=DebtType.SUNDRY, due_date=DUE, balance=40_000, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "hold",
    [
        breathing_space_hold(DUE, reference="BS-1"),
        mental_health_crisis_hold(DUE, reference="MH-1", review_on=DUE + timedelta(days=90)),
        dispute_hold(DUE, "Customer says the service was never provided", "Parks service"),
        appeal_hold(DUE, "Appeal against overpayment decision", "Benefits team", DUE + timedelta(days=60)),
        vulnerability_hold(DUE, "Recent bereavement", "J. Patel", DUE + timedelta(days=30)),
        hardship_deferral(DUE, DUE + timedelta(days=200), "Lost job", "J. Patel"),
        manual_hold(
            DUE, "Head of service asked for a pause", "A. Smith, Head of Leisure", DUE + timedelta(days=120)
        ),
    ],
    ids=lambda hold: hold.kind.value,
)
def test_a_case_on_hold_takes_no_step(hold: Hold):
    policy = shipped_policy("derby", "sundry")
    case = _sundry_case(holds=(hold,))
    # Every one of these holds is still in force 60 days on (a standard breathing space's last day).
    _, taken = walk(policy, case, DUE, DUE + timedelta(days=60))
    assert taken == []
    assert next_step(policy, case, DUE + timedelta(days=60)).status is StepStatus.HELD


def test_recovery_resumes_the_day_after_a_breathing_space_ends():
    policy = shipped_policy("derby", "sundry")
    hold = breathing_space_hold(DUE - timedelta(days=10), reference="BS-2")
    _, taken = walk(policy, _sundry_case(holds=(hold,)), DUE, DUE + timedelta(days=60))
    assert hold.end == DUE + timedelta(days=50)
    assert taken[0] == ("first_reminder", DUE + timedelta(days=51))


def test_a_late_breathing_space_voids_a_referral_made_after_its_start():
    policy = shipped_policy("derby", "sundry")
    case, taken = walk(policy, _sundry_case(), DUE, DUE + timedelta(days=80))
    referral_on = dict(taken)["legal_options"]
    # The moratorium started the day before the referral; the council hears of it ten days later.
    hold = breathing_space_hold(referral_on - timedelta(days=1), reference="BS-3")
    effect = breathing_space_effect(case.steps_taken, hold)
    assert [step.name for step in effect.void_steps] == ["legal_options"]
    assert [step.name for step in effect.recalls] == ["legal_options"]
    after = apply_breathing_space(case.steps_taken, hold, on=referral_on + timedelta(days=10))
    referral = next(step for step in after if step.name == "legal_options")
    assert referral.void and referral.recalled_on == referral_on + timedelta(days=10)
    assert all(not step.void for step in after if step.name != "legal_options")


def test_a_breathing_space_voids_every_step_from_its_start_and_reverses_their_costs():
    steps = (
        StepTaken("first_reminder", StepKind.REMINDER, DUE + timedelta(days=30)),
        StepTaken("summons", StepKind.SUMMONS, DUE + timedelta(days=44), costs=8000),
        StepTaken("liability_order", StepKind.LIABILITY_ORDER, DUE + timedelta(days=65), costs=4000),
    )
    effect = breathing_space_effect(steps, breathing_space_hold(DUE + timedelta(days=40), reference="BS-4"))
    assert [step.name for step in effect.void_steps] == ["summons", "liability_order"]
    assert effect.costs_reversed == 12_000
    assert effect.recalls == ()


def test_a_referral_made_before_the_breathing_space_is_recalled_but_not_void():
    steps = (StepTaken("enforcement_agent", StepKind.ENFORCEMENT_AGENT_REFERRAL, DUE),)
    effect = breathing_space_effect(steps, breathing_space_hold(DUE + timedelta(days=5), reference="BS-5"))
    assert effect.void_steps == ()
    assert [step.name for step in effect.recalls] == ["enforcement_agent"]


def test_a_case_whose_steps_were_voided_takes_them_again_after_the_breathing_space():
    policy = shipped_policy("derby", "sundry")
    case, _ = walk(policy, _sundry_case(), DUE, DUE + timedelta(days=40))
    hold = breathing_space_hold(DUE + timedelta(days=20), reference="BS-6")
    case = RecoveryCaseState(
        case_id=case.case_id,
        debt_type=case.debt_type,
        due_date=DUE,
        balance=case.balance,
        steps_taken=apply_breathing_space(case.steps_taken, hold, on=DUE + timedelta(days=41)),
        holds=(hold,),
    )
    decision = next_step(policy, case, DUE + timedelta(days=81))
    assert decision.step is not None and decision.step.name == "second_reminder"
    assert decision.eligible_from == hold.end + timedelta(days=1)


def test_a_mental_health_crisis_breathing_space_ends_30_days_after_the_treatment():
    hold = mental_health_crisis_hold(DUE, reference="MH-2", review_on=DUE + timedelta(days=90))
    assert hold.is_active_on(DUE + timedelta(days=400))
    ended = end_mental_health_crisis(hold, treatment_ended_on=DUE + timedelta(days=100))
    assert ended.is_active_on(DUE + timedelta(days=130))
    assert not ended.is_active_on(DUE + timedelta(days=131))


def test_a_part_dispute_still_collects_the_undisputed_part():
    policy = shipped_policy("derby", "sundry")
    hold = dispute_hold(DUE, "Disputes one line of the invoice", "Parks service", disputed_amount=15_000)
    decision = next_step(policy, _sundry_case(holds=(hold,)), DUE + timedelta(days=1))
    assert decision.status is StepStatus.DUE
    assert decision.amount_pursued == 25_000


def test_a_dispute_must_be_resolved_within_30_days():
    hold = dispute_hold(DUE, "Disputes the whole invoice", "Parks service")
    assert hold.review_on == DUE + timedelta(days=30)
    assert overdue_disputes((hold,), DUE + timedelta(days=29)) == ()
    assert overdue_disputes((hold,), DUE + timedelta(days=30)) == (hold,)
    assert overdue_disputes((hold.lifted(DUE + timedelta(days=20)),), DUE + timedelta(days=30)) == ()


def test_a_lifted_hold_lets_recovery_resume():
    policy = shipped_policy("derby", "sundry")
    hold = manual_hold(DUE, "Pause while we check the address", "A. Smith", DUE + timedelta(days=30))
    case = _sundry_case(holds=(hold.lifted(DUE + timedelta(days=10)),))
    _, taken = walk(policy, case, DUE, DUE + timedelta(days=20))
    assert taken == [("first_reminder", DUE + timedelta(days=10))]


def test_every_hold_names_a_reason_an_authoriser_and_an_end_or_review_date():
    with pytest.raises(HoldError):
        Hold(HoldKind.MANUAL, "Pause", "", DUE, review_on=DUE)
    with pytest.raises(HoldError):
        Hold(HoldKind.MANUAL, "", "A. Smith", DUE, review_on=DUE)
    with pytest.raises(HoldError):
        Hold(HoldKind.MANUAL, "Pause", "A. Smith", DUE)
    with pytest.raises(HoldError):
        Hold(HoldKind.APPEAL, "Appeal", "Benefits", DUE, review_on=DUE, disputed_amount=100)


def test_a_manual_hold_past_its_review_date_stays_until_an_officer_lifts_it():
    hold = manual_hold(DUE, "Pause", "A. Smith", review_on=DUE + timedelta(days=30))
    assert hold.needs_review_on(DUE + timedelta(days=31))
    assert hold.is_active_on(DUE + timedelta(days=31))
