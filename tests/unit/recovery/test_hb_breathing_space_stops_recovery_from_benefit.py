"""A breathing space stops recovery of a moratorium debt by deduction from benefit (Debt Respite Scheme
Regulations 2020, reg 7: no step to collect a moratorium debt). A housing benefit overpayment held by a breathing
space is not asked of the benefits system until the hold ends; a deduction running when one starts is suspended
(`recovery.benefit_deduction.suspension_requested`) and asked again when it ends. And the daily run finds every
case the order of recovery says to ask (NELC 7.2), but no case waiting in the officers' decision tray (issue 19).
The rule first, then the handlers and the daily run with in-memory stores (NELC)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from uuid import UUID

from services.recovery.benefit_deductions import benefit_deduction_confirmed, benefit_deduction_stopped
from services.recovery.breathing_space import breathing_space_ended, breathing_space_started
from services.recovery.case_state import load_case, position_of, reschedule
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain.hb_order_of_recovery import (
    BenefitAnswer,
    BenefitRequestMade,
    BenefitsSystemStanding,
    RecoveryMethod,
    asking_date,
    benefits_system_decision,
    suspension_needed,
)
from shared.contracts.benefits import (
    BenefitDeductionConfirmed,
    BenefitDeductionRequested,
    BenefitDeductionStopped,
    BenefitDeductionSuspensionRequested,
)
from shared.contracts.billing import DebtRaised
from shared.contracts.breathing_space import BreathingSpaceHoldEnded, BreathingSpaceHoldStarted
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

from .test_hb_overpayments_go_to_the_benefits_system_first import ASKED, BENEFIT_METHODS, an_overpayment, nelc

SPACE_STARTS = ASKED + timedelta(days=10)
LAST_PROTECTED = SPACE_STARTS + timedelta(days=59)


def _requests(recovery: InMemoryRecovery) -> list[BenefitDeductionRequested]:
    return [
        m
        for m in recovery.published.of_type(BenefitDeductionRequested)
        if isinstance(m, BenefitDeductionRequested)
    ]


def _suspensions(recovery: InMemoryRecovery) -> list[BenefitDeductionSuspensionRequested]:
    found = recovery.published.of_type(BenefitDeductionSuspensionRequested)
    return [m for m in found if isinstance(m, BenefitDeductionSuspensionRequested)]


def _started(debt: DebtRaised) -> BreathingSpaceHoldStarted:
    return BreathingSpaceHoldStarted(
        moratorium_reference="BS-HB-1",
        hold_version=1,
        kind="standard",
        starts_on=SPACE_STARTS,
        expected_end_on=LAST_PROTECTED,
        customer_ids=list(debt.customer_ids),
        debt_ids=[debt.debt_id],
    )


def _ended(debt: DebtRaised) -> BreathingSpaceHoldEnded:
    return BreathingSpaceHoldEnded(
        moratorium_reference="BS-HB-1",
        hold_version=2,
        how="expired",
        last_protected_day=LAST_PROTECTED,
        debt_ids=[debt.debt_id],
    )


def _on(recovery: InMemoryRecovery, day: date) -> InMemoryRecovery:
    recovery.service = dataclasses.replace(recovery.service, clock=type(recovery.service.clock)(day))
    return recovery


# -- the rule ------------------------------------------------------------------------------------------------------
def test_a_method_suspended_for_a_breathing_space_is_asked_again() -> None:
    made = (
        BenefitRequestMade(RecoveryMethod.ARREARS_OF_BENEFIT, ASKED, BenefitAnswer.STOPPED, ASKED),
        BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.SUSPENDED, SPACE_STARTS),
    )
    decision = benefits_system_decision(BENEFIT_METHODS, made)
    assert (decision.standing, decision.method) == (
        BenefitsSystemStanding.ASK,
        RecoveryMethod.ONGOING_BENEFIT,
    )
    assert "reg 7" in decision.reason


def test_a_breathing_space_suspends_a_deduction_running_or_asked_but_nothing_not_yet_asked() -> None:
    running = BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.CONFIRMED, ASKED)
    asked = BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED)
    assert suspension_needed(benefits_system_decision(BENEFIT_METHODS, (running,)))
    assert suspension_needed(benefits_system_decision(BENEFIT_METHODS, (asked,)))
    assert not suspension_needed(benefits_system_decision(BENEFIT_METHODS, ()))


def test_a_case_to_be_asked_is_dated_the_day_recovery_resumes_and_undated_while_a_hold_has_no_end() -> None:
    to_ask = benefits_system_decision(BENEFIT_METHODS, ())
    assert asking_date(to_ask, resumes_on=ASKED) == ASKED
    assert asking_date(to_ask, resumes_on=None) is None
    awaiting = benefits_system_decision(
        BENEFIT_METHODS, (BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED),)
    )
    assert asking_date(awaiting, resumes_on=ASKED) is None


# -- the handlers and the daily run, in memory -----------------------------------------------------------------------
async def test_a_new_overpayment_in_a_breathing_space_is_not_asked_of_the_benefits_system_until_it_ends() -> (
    None
):
    recovery = _on(nelc(), SPACE_STARTS + timedelta(days=5))
    debt = an_overpayment()
    await breathing_space_started(_started(debt), recovery.handling())  # before the debt reaches recovery
    await open_recovery_case(debt, recovery.handling())
    assert _requests(recovery) == []
    assert any(e.entry == "benefit_deduction_deferred" for e in recovery.record.entries)
    await advance_batch(recovery.handling(), SPACE_STARTS + timedelta(days=30), 100, RunCounts())
    assert _requests(recovery) == [] and recovery.steps.taken == []

    after = LAST_PROTECTED + timedelta(days=1)
    await breathing_space_ended(_ended(debt), _on(recovery, after).handling())
    (request,) = _requests(recovery)
    assert (request.method, request.requested_on) == ("arrears_of_benefit", after)


async def test_a_breathing_space_suspends_a_running_deduction_from_benefit_and_its_end_asks_it_again() -> (
    None
):
    recovery = nelc()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    first = _requests(recovery)[0]
    await benefit_deduction_stopped(
        BenefitDeductionStopped(
            request_id=first.request_id,
            case_id=first.case_id,
            method=first.method,
            stopped_on=ASKED,
            reason="none",
        ),
        recovery.handling(),
    )
    ongoing = _requests(recovery)[-1]
    await benefit_deduction_confirmed(
        BenefitDeductionConfirmed(
            request_id=ongoing.request_id,
            case_id=ongoing.case_id,
            method=ongoing.method,
            starts_on=ASKED + timedelta(days=7),
            amount_pence_per_week=12_00,
        ),
        recovery.handling(),
    )
    await breathing_space_started(_started(debt), _on(recovery, SPACE_STARTS).handling())
    (suspension,) = _suspensions(recovery)
    assert (
        suspension.request_id,
        suspension.method,
        suspension.suspend_from,
        suspension.moratorium_reference,
    ) == (
        ongoing.request_id,
        "ongoing_benefit",
        SPACE_STARTS,
        "BS-HB-1",
    )
    assert "reg 7" in suspension.reason
    assert any(e.entry == "benefit_deduction_suspension_requested" for e in recovery.record.entries)
    await advance_batch(recovery.handling(), SPACE_STARTS + timedelta(days=30), 100, RunCounts())
    assert len(_requests(recovery)) == 2, "nothing asked inside the breathing space"

    after = LAST_PROTECTED + timedelta(days=1)
    await breathing_space_ended(_ended(debt), _on(recovery, after).handling())
    resumed = _requests(recovery)[-1]
    assert (len(_requests(recovery)), resumed.method, resumed.requested_on) == (3, "ongoing_benefit", after)
    assert len(_suspensions(recovery)) == 1


async def test_a_deduction_confirmed_inside_a_breathing_space_is_suspended_at_once() -> None:
    recovery = nelc()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    asked = _requests(recovery)[0]
    await breathing_space_started(_started(debt), _on(recovery, SPACE_STARTS).handling())
    assert len(_suspensions(recovery)) == 1  # asked, not yet answered: not to be started
    await benefit_deduction_confirmed(
        BenefitDeductionConfirmed(
            request_id=asked.request_id,
            case_id=asked.case_id,
            method=asked.method,
            starts_on=SPACE_STARTS + timedelta(days=3),
            amount_pence_per_week=10_00,
        ),
        recovery.handling(),
    )
    assert len(_suspensions(recovery)) == 2


async def _case_id(recovery: InMemoryRecovery, debt: DebtRaised) -> UUID:
    return recovery.case_of(debt.debt_id).case_id


async def test_a_case_never_asked_is_dated_so_the_daily_run_asks_the_benefits_system() -> None:
    recovery = nelc()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    case_id = await _case_id(recovery, debt)
    recovery.cases.benefit_asked.clear()  # as if opened before the council's file named the methods
    day = ASKED + timedelta(days=3)
    await reschedule(recovery.handling().stores, recovery.service.policies, [case_id], day)
    assert recovery.cases.by_id[case_id].next_step_eligible_from == day
    await advance_batch(recovery.handling(), day, 100, RunCounts())
    assert len(_requests(recovery)) == 2  # the first (cleared from the store) and the one the run asked
    assert recovery.cases.by_id[case_id].next_step_eligible_from is None, "asked: it waits for the answer"


async def test_a_case_waiting_in_the_officers_decision_tray_has_no_next_step_date() -> None:
    recovery = nelc()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    case_id = await _case_id(recovery, debt)
    recovery.cases.benefit_asked.clear()
    row = recovery.cases.by_id[case_id]
    recovery.cases.by_id[case_id] = dataclasses.replace(row, awaiting_decision_since=ASKED)
    case = await load_case(recovery.cases, recovery.service.policies, case_id)
    assert case is not None
    assert position_of(case, ASKED + timedelta(days=3)) == (None, None)
