"""Every hold that stops recovery of a housing benefit overpayment stops its recovery from benefit too: an appeal
or reconsideration of the overpayment decision, a dispute of it, a vulnerability review, a hardship deferral or an
officer's hold suspends a deduction running or asked (DWP HB/CTB overpayments guide; Child Support, Pensions and
Social Security Act 2000, Sch 7), saying which hold and the rule, and the method is asked again once no hold stops
recovery. A dispute over part of the balance stops nothing. The rule first, then the handlers with in-memory stores
(NELC)."""

from __future__ import annotations

from datetime import timedelta

from services.recovery.benefit_deductions import benefit_deduction_confirmed
from services.recovery.case_state import LoadedCase, load_case
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain.hb_order_of_recovery import (
    SUSPENSION_RULES,
    BenefitAnswer,
    BenefitRequestMade,
    RecoveryMethod,
    benefits_system_decision,
    deduction_suspension,
)
from services.recovery.domain.holds import (
    HoldKind,
    appeal_hold,
    breathing_space_hold,
    dispute_hold,
    hardship_deferral,
    manual_hold,
    recovery_next_stopped_on,
    recovery_resumes_on,
)
from services.recovery.holds import apply_hold, lift_hold
from shared.contracts.benefits import (
    BenefitDeductionConfirmed,
)
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

from .test_hb_breathing_space_stops_recovery_from_benefit import _requests, _suspensions
from .test_hb_overpayments_go_to_the_benefits_system_first import ASKED, BENEFIT_METHODS, an_overpayment, nelc

APPEALED = ASKED + timedelta(days=10)
BALANCE = 640_00
DEDUCTING = benefits_system_decision(
    BENEFIT_METHODS,
    (
        BenefitRequestMade(RecoveryMethod.ARREARS_OF_BENEFIT, ASKED, BenefitAnswer.STOPPED, ASKED),
        BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.CONFIRMED, ASKED),
    ),
)


# -- the rule ------------------------------------------------------------------------------------------------------
def test_an_appeal_against_the_overpayment_decision_suspends_the_deduction_from_ongoing_benefit_until_decided() -> (
    None
):
    appeal = appeal_hold(APPEALED, "appeal lodged", "benefits officer", APPEALED + timedelta(days=90))
    suspension = deduction_suspension(DEDUCTING, [("hold-1", appeal)], APPEALED, BALANCE)
    assert suspension is not None
    assert (suspension.method, suspension.hold, suspension.reference) == (
        RecoveryMethod.ONGOING_BENEFIT,
        appeal,
        "hold-1",
    )
    assert suspension.rule == SUSPENSION_RULES[HoldKind.APPEAL] and "Sch 7" in suspension.rule
    assert suspension.reason.startswith(f"appeal hold-1 from {APPEALED.isoformat()}: ")


def test_a_dispute_of_the_whole_overpayment_suspends_the_deduction_but_a_dispute_over_part_does_not() -> None:
    whole = dispute_hold(APPEALED, "claimant disputes the overpayment", "benefits officer")
    part = dispute_hold(APPEALED, "two weeks disputed", "benefits officer", disputed_amount=60_00)
    assert deduction_suspension(DEDUCTING, [("d-1", whole)], APPEALED, BALANCE) is not None
    assert deduction_suspension(DEDUCTING, [("d-2", part)], APPEALED, BALANCE) is None


def test_every_kind_of_hold_that_stops_recovery_suspends_a_deduction_asked_or_running_and_says_its_rule() -> (
    None
):
    asked = benefits_system_decision(
        BENEFIT_METHODS, (BenefitRequestMade(RecoveryMethod.ARREARS_OF_BENEFIT, ASKED),)
    )
    holds = [
        appeal_hold(APPEALED, "appeal", "officer", APPEALED + timedelta(days=30)),
        manual_hold(APPEALED, "head of service asks", "officer", APPEALED + timedelta(days=30)),
        hardship_deferral(APPEALED, APPEALED + timedelta(days=30), "hardship", "officer"),
        breathing_space_hold(APPEALED, "BS-9"),
    ]
    for hold in holds:
        for decision in (DEDUCTING, asked):
            suspension = deduction_suspension(decision, [("ref", hold)], APPEALED, BALANCE)
            assert suspension is not None and suspension.rule in suspension.reason, hold.kind
    assert set(SUSPENSION_RULES) == set(HoldKind), "every kind of hold says why it stops recovery"


def test_a_hold_not_yet_in_force_or_a_case_with_nothing_at_the_benefits_system_suspends_nothing() -> None:
    appeal = appeal_hold(APPEALED, "appeal", "officer", APPEALED + timedelta(days=30))
    assert deduction_suspension(DEDUCTING, [("h", appeal)], APPEALED - timedelta(days=1), BALANCE) is None
    never_asked = benefits_system_decision(BENEFIT_METHODS, ())
    assert deduction_suspension(never_asked, [("h", appeal)], APPEALED, BALANCE) is None


def test_a_suspended_method_is_asked_again_once_no_hold_stops_recovery() -> None:
    made = (BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.SUSPENDED, APPEALED),)
    decision = benefits_system_decision(BENEFIT_METHODS, made)
    assert decision.method is RecoveryMethod.ONGOING_BENEFIT and decision.standing.value == "ask"


# -- the handlers, in memory ---------------------------------------------------------------------------------------
async def _asked_of_arrears(recovery: InMemoryRecovery) -> LoadedCase:
    """A new overpayment's case, asked of the benefits system by arrears of benefit."""
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    case_id = recovery.case_of(debt.debt_id).case_id
    case = await load_case(recovery.cases, recovery.service.policies, case_id)
    assert case is not None
    return case


async def test_an_appeal_suspends_an_asked_deduction_and_lifting_it_asks_the_method_again() -> None:
    recovery = nelc()
    case = await _asked_of_arrears(recovery)
    (asked,) = _requests(recovery)
    appeal = appeal_hold(
        ASKED, "appeal against the overpayment decision", "officer", ASKED + timedelta(days=90)
    )
    hold_id = await apply_hold(recovery.handling(), case, appeal, ASKED)
    (suspension,) = _suspensions(recovery)
    assert (
        suspension.request_id,
        suspension.hold_kind,
        suspension.hold_id,
        suspension.moratorium_reference,
    ) == (
        asked.request_id,
        "appeal",
        hold_id,
        "",
    )
    assert str(hold_id) in suspension.reason and "Sch 7" in suspension.reason
    assert [e.entry for e in recovery.record.entries].count("benefit_deduction_suspension_requested") == 1

    held = await load_case(recovery.cases, recovery.service.policies, case.case_id)
    assert held is not None and hold_id is not None
    await lift_hold(
        recovery.handling(), held, hold_id, ASKED, "officer", "appeal decided: overpayment upheld"
    )
    again = _requests(recovery)[-1]
    assert (len(_requests(recovery)), again.method) == (2, "arrears_of_benefit")


async def test_with_two_holds_the_deduction_is_asked_again_only_when_the_last_is_lifted() -> None:
    recovery = nelc()
    case = await _asked_of_arrears(recovery)
    appeal = appeal_hold(ASKED, "appeal", "officer", ASKED + timedelta(days=90))
    manual = manual_hold(ASKED, "head of benefits asks to pause", "officer", ASKED + timedelta(days=30))
    appeal_id = await apply_hold(recovery.handling(), case, appeal, ASKED)
    case = await load_case(recovery.cases, recovery.service.policies, case.case_id)
    assert case is not None
    manual_id = await apply_hold(recovery.handling(), case, manual, ASKED)
    assert len(_suspensions(recovery)) == 1, "already suspended: the second hold asks nothing more"
    assert appeal_id is not None and manual_id is not None

    for lifted, expected_requests in ((appeal_id, 1), (manual_id, 2)):
        case = await load_case(recovery.cases, recovery.service.policies, case.case_id)
        assert case is not None
        await lift_hold(recovery.handling(), case, lifted, ASKED, "officer", "resolved")
        assert len(_requests(recovery)) == expected_requests


async def test_a_deduction_confirmed_while_an_appeal_holds_the_debt_is_suspended_at_once() -> None:
    recovery = nelc()
    case = await _asked_of_arrears(recovery)
    (asked,) = _requests(recovery)
    appeal = appeal_hold(ASKED, "appeal", "officer", ASKED + timedelta(days=90))
    await apply_hold(recovery.handling(), case, appeal, ASKED)
    await benefit_deduction_confirmed(
        BenefitDeductionConfirmed(
            request_id=asked.request_id,
            case_id=asked.case_id,
            method=asked.method,
            starts_on=ASKED,
            recovered_pence=100_00,
        ),
        recovery.handling(),
    )
    assert [s.hold_kind for s in _suspensions(recovery)] == ["appeal", "appeal"]


async def test_a_dispute_over_part_of_the_overpayment_leaves_the_deduction_alone() -> None:
    recovery = nelc()
    case = await _asked_of_arrears(recovery)
    part = dispute_hold(ASKED, "two weeks disputed", "officer", disputed_amount=60_00)
    await apply_hold(recovery.handling(), case, part, ASKED)
    assert _suspensions(recovery) == []
    assert "benefit_deduction_suspension_requested" not in [e.entry for e in recovery.record.entries]


def test_recovery_resumes_the_day_after_a_dated_hold_ends_and_waits_while_a_hold_has_no_end() -> None:
    deferral = hardship_deferral(APPEALED, APPEALED + timedelta(days=28), "hardship", "benefits officer")
    overlapping = hardship_deferral(
        APPEALED + timedelta(days=20), APPEALED + timedelta(days=40), "hardship again", "benefits officer"
    )
    appeal = appeal_hold(APPEALED, "appeal lodged", "benefits officer", APPEALED + timedelta(days=90))
    assert recovery_resumes_on((), APPEALED, BALANCE) == APPEALED
    assert recovery_resumes_on((deferral,), APPEALED, BALANCE) == APPEALED + timedelta(days=29)
    assert recovery_resumes_on((deferral, overlapping), APPEALED, BALANCE) == APPEALED + timedelta(days=41)
    assert recovery_resumes_on((deferral, appeal), APPEALED, BALANCE) is None, "an appeal waits to be decided"
    lifted_ahead = appeal.lifted(APPEALED + timedelta(days=7))
    assert recovery_resumes_on((lifted_ahead,), APPEALED, BALANCE) == APPEALED + timedelta(days=7)


async def test_a_deduction_suspended_for_a_hardship_deferral_is_asked_again_by_the_daily_run_after_it_ends() -> (
    None
):
    recovery = nelc()
    case = await _asked_of_arrears(recovery)
    ends = ASKED + timedelta(days=28)
    await apply_hold(recovery.handling(), case, hardship_deferral(ASKED, ends, "hardship", "officer"), ASKED)
    assert len(_suspensions(recovery)) == 1
    assert recovery.cases.by_id[case.case_id].next_step_eligible_from == ends + timedelta(days=1)

    await advance_batch(recovery.handling(), ends, 100, RunCounts())
    assert len(_requests(recovery)) == 1, "not asked while the deferral lasts"
    await advance_batch(recovery.handling(), ends + timedelta(days=1), 100, RunCounts())
    again = _requests(recovery)[-1]
    assert (len(_requests(recovery)), again.method) == (2, "arrears_of_benefit")
    assert recovery.cases.by_id[case.case_id].next_step_eligible_from is None, (
        "asked: it waits for the answer"
    )


async def test_an_appeal_hold_entered_ahead_of_its_start_suspends_the_deduction_by_the_daily_run_on_that_day() -> (
    None
):
    recovery = nelc()
    case = await _asked_of_arrears(recovery)
    starts = ASKED + timedelta(days=7)
    appeal = appeal_hold(starts, "appeal hearing listed", "officer", starts + timedelta(days=90))
    await apply_hold(recovery.handling(), case, appeal, ASKED)
    assert _suspensions(recovery) == [], "not in force yet: the deduction runs on"
    assert recovery.cases.by_id[case.case_id].next_step_eligible_from == starts

    await advance_batch(recovery.handling(), starts - timedelta(days=1), 100, RunCounts())
    assert _suspensions(recovery) == []
    await advance_batch(recovery.handling(), starts, 100, RunCounts())
    (suspension,) = _suspensions(recovery)
    assert suspension.hold_kind == "appeal" and suspension.suspend_from == starts
    assert recovery.cases.by_id[case.case_id].next_step_eligible_from is None, (
        "suspended: it waits for the appeal"
    )


def test_a_hold_ahead_or_in_force_is_found_and_one_lifted_before_it_starts_is_not() -> None:
    ahead = appeal_hold(APPEALED + timedelta(days=7), "appeal", "officer", APPEALED + timedelta(days=90))
    assert recovery_next_stopped_on((ahead,), APPEALED, BALANCE) == APPEALED + timedelta(days=7)
    assert recovery_next_stopped_on((ahead,), APPEALED + timedelta(days=9), BALANCE) == APPEALED + timedelta(
        days=9
    )
    assert recovery_next_stopped_on((ahead.lifted(APPEALED + timedelta(days=3)),), APPEALED, BALANCE) is None
    part = dispute_hold(APPEALED, "two weeks disputed", "officer", disputed_amount=60_00)
    assert recovery_next_stopped_on((part,), APPEALED, BALANCE) is None
