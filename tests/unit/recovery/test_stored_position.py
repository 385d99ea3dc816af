"""What the daily run keeps on each case row: the next step and the first day it may be taken, or no date when
only an event (a hold lifted, a default, a review) can move the case on."""

from __future__ import annotations

from datetime import date, timedelta

from services.recovery.domain.case import ArrangementStatus, RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.holds import hardship_deferral, manual_hold
from services.recovery.domain.policy import StepKind
from services.recovery.domain.step_engine import stored_position

from .timetable_walk import shipped_policy, walk

DUE = date(2025, 5, 1)
TODAY = DUE + timedelta(days=10)


def _case(debt_type: DebtType = DebtType.SUNDRY, **kwargs: object) -> RecoveryCaseState:
    return RecoveryCaseState(case_id="c1", debt_type=debt_type, due_date=DUE, balance=40_000, **kwargs)  # type: ignore[arg-type]


def test_an_unpaid_derby_invoice_waits_for_its_first_reminder_the_day_after_it_fell_due():
    assert stored_position(shipped_policy("derby", "sundry"), _case(), DUE) == (
        "first_reminder",
        DUE + timedelta(1),
    )


def test_a_hold_with_no_end_leaves_no_date_until_it_is_lifted():
    hold = manual_hold(DUE, "pause", "A. Smith, Head of Leisure", review_on=DUE + timedelta(days=90))
    assert stored_position(shipped_policy("derby", "sundry"), _case(holds=(hold,)), TODAY) == (None, None)


def test_a_hardship_deferral_resumes_recovery_the_day_after_it_ends():
    deferral = hardship_deferral(DUE, DUE + timedelta(days=40), "lost job", "J. Patel")
    position = stored_position(shipped_policy("derby", "sundry"), _case(holds=(deferral,)), TODAY)
    assert position == ("first_reminder", DUE + timedelta(days=41))


def test_a_kept_arrangement_leaves_no_date():
    position = stored_position(
        shipped_policy("derby", "sundry"), _case(arrangement=ArrangementStatus.LIVE), TODAY
    )
    assert position == (None, None)


def test_a_vulnerable_debtors_agent_referral_waits_for_the_review_with_no_date():
    policy = shipped_policy("derby", "council_tax")
    case, _ = walk(policy, _case(DebtType.COUNCIL_TAX, vulnerable=True), DUE, DUE + timedelta(days=400))
    name, when = stored_position(policy, case, DUE + timedelta(days=400))
    assert name == "enforcement_agent" and when is None


def test_an_exhausted_timetable_is_due_the_day_after_its_last_step_for_the_write_off_request():
    policy = shipped_policy("nelc", "sundry")
    last = policy.steps[-1]
    steps = tuple(StepTaken(s.name, s.kind, DUE + timedelta(days=i)) for i, s in enumerate(policy.steps))
    assert stored_position(policy, _case(steps_taken=steps), TODAY + timedelta(days=100)) == (
        None,
        steps[-1].taken_on + timedelta(days=1),
    )
    assert last.name == steps[-1].name


def test_after_a_broken_arrangement_the_next_letter_waits_for_the_last_letters_pay_by_date():
    # Derby sundry: the second reminder (pay within 30 days) was sent the day the arrangement broke, long after
    # the final notice's own date (due + 61): the final notice still waits the 30 days the letter promised.
    policy = shipped_policy("derby", "sundry")
    broke_on = DUE + timedelta(days=200)
    steps = (
        StepTaken("first_reminder", StepKind.REMINDER, DUE + timedelta(days=1)),
        StepTaken("second_reminder", StepKind.SECOND_REMINDER, broke_on),
    )
    case = _case(steps_taken=steps, arrangement=ArrangementStatus.DEFAULTED)
    assert stored_position(policy, case, broke_on) == ("final_notice", broke_on + timedelta(days=30))
