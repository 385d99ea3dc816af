"""NELC 7.2 wired to cases: a housing benefit overpayment is asked of the benefits system method by method (arrears
of benefit, ongoing benefit, council tax reduction, other benefits via the DWP) before any invoice step; deductions
in place hold the invoice back; only when every method has stopped does the invoice timetable run, from that day.
The rule first, then the handlers and the daily run with in-memory stores."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.recovery.benefit_deductions import benefit_deduction_confirmed, benefit_deduction_stopped
from services.recovery.bootstrap import bootstrap
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain.hb_order_of_recovery import (
    BenefitAnswer,
    BenefitRequestMade,
    BenefitsSystemStanding,
    RecoveryMethod,
    benefits_system_decision,
)
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_book
from shared.clock import BusinessClock
from shared.contracts.benefits import (
    BenefitDeductionConfirmed,
    BenefitDeductionRequested,
    BenefitDeductionStopped,
)
from shared.contracts.billing import DebtRaised
from shared.contracts.envelope import MalformedMessage
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

from .timetable_walk import shipped_policy

ASKED = date(2026, 4, 1)
BENEFIT_METHODS = (
    RecoveryMethod.ARREARS_OF_BENEFIT,
    RecoveryMethod.ONGOING_BENEFIT,
    RecoveryMethod.COUNCIL_TAX_REDUCTION,
    RecoveryMethod.OTHER_BENEFITS_DWP,
)


def _stopped(method: RecoveryMethod, on: date = ASKED) -> BenefitRequestMade:
    return BenefitRequestMade(method, ASKED, BenefitAnswer.STOPPED, on)


# -- the rule ------------------------------------------------------------------------------------------------------
def test_nelc_asks_the_benefits_system_by_each_of_its_methods_in_the_order_of_recovery() -> None:
    policy = shipped_policy("nelc", "housing_benefit_overpayment")
    assert policy.benefits_system_first == BENEFIT_METHODS
    assert shipped_policy("derby", "housing_benefit_overpayment").benefits_system_first == ()


def test_arrears_of_benefit_are_asked_first() -> None:
    decision = benefits_system_decision(BENEFIT_METHODS, ())
    assert (decision.standing, decision.method) == (
        BenefitsSystemStanding.ASK,
        RecoveryMethod.ARREARS_OF_BENEFIT,
    )


def test_while_the_benefits_system_answers_or_deducts_there_is_no_invoice_step() -> None:
    asked = BenefitRequestMade(RecoveryMethod.ARREARS_OF_BENEFIT, ASKED)
    assert benefits_system_decision(BENEFIT_METHODS, (asked,)).standing is BenefitsSystemStanding.AWAITING
    deducting = (
        _stopped(RecoveryMethod.ARREARS_OF_BENEFIT),
        BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.CONFIRMED, ASKED),
    )
    decision = benefits_system_decision(BENEFIT_METHODS, deducting)
    assert (decision.standing, decision.method) == (
        BenefitsSystemStanding.DEDUCTING,
        RecoveryMethod.ONGOING_BENEFIT,
    )


def test_a_method_stopped_moves_on_to_the_next_even_after_deductions_began() -> None:
    made = (_stopped(RecoveryMethod.ARREARS_OF_BENEFIT), _stopped(RecoveryMethod.ONGOING_BENEFIT))
    decision = benefits_system_decision(BENEFIT_METHODS, made)
    assert (decision.standing, decision.method) == (
        BenefitsSystemStanding.ASK,
        RecoveryMethod.COUNCIL_TAX_REDUCTION,
    )


def test_every_method_stopped_the_invoice_timetable_runs_from_the_last_stop() -> None:
    last_stop = ASKED + timedelta(days=20)
    made = (
        *(_stopped(m) for m in BENEFIT_METHODS[:-1]),
        _stopped(RecoveryMethod.OTHER_BENEFITS_DWP, last_stop),
    )
    decision = benefits_system_decision(BENEFIT_METHODS, made)
    assert decision.standing is BenefitsSystemStanding.INVOICE
    assert decision.timetable_from == last_stop


def test_a_policy_may_name_only_benefits_system_methods_in_the_order_of_recovery() -> None:
    def policy(methods: str, debt_type: str = "housing_benefit_overpayment") -> str:
        return f"""
council: testshire
policies:
  - debt_type: {debt_type}
    benefits_system_first: [{methods}]
    steps:
      - {{name: reminder, kind: reminder, days: 14, after: due_date}}
"""

    assert load_policy_book(policy("arrears_of_benefit, ongoing_benefit")).policies[0].benefits_system_first
    for wrong, why in (
        (policy("ongoing_benefit, arrears_of_benefit"), "order of recovery"),
        (policy("invoice"), "not carried out by the benefits system"),
        (policy("arrears_of_benefit", "sundry"), "housing_benefit_overpayment policy only"),
    ):
        with pytest.raises(PolicyFileError, match=why):
            load_policy_book(wrong)


# -- the handlers and the daily run, in memory -----------------------------------------------------------------------
DUE = date(2026, 4, 15)


def nelc() -> InMemoryRecovery:
    return InMemoryRecovery(dataclasses.replace(bootstrap(council="nelc"), clock=BusinessClock(ASKED)))


def an_overpayment() -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="housing_benefit_overpayment",
        amount_pence=640_00,
        financial_year="2026/27",
        due_date=DUE,
        raised_on=ASKED,
        originating_service="Benefits",
        income_code="HBO01",
        external_reference="HB-CLAIM-9",
        evidence_reference="overpayment decision letter",
    )


def _requests(recovery: InMemoryRecovery) -> list[BenefitDeductionRequested]:
    found = recovery.published.of_type(BenefitDeductionRequested)
    return [m for m in found if isinstance(m, BenefitDeductionRequested)]


def _stop(request: BenefitDeductionRequested, on: date = ASKED) -> BenefitDeductionStopped:
    return BenefitDeductionStopped(
        request_id=request.request_id,
        case_id=request.case_id,
        method=request.method,
        stopped_on=on,
        reason="none",
    )


async def test_a_new_overpayment_is_asked_of_the_benefits_system_from_arrears_and_takes_no_reminder() -> None:
    recovery = nelc()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    (request,) = _requests(recovery)
    assert (request.method, request.amount_pence, request.claim_reference) == (
        "arrears_of_benefit",
        640_00,
        "HB-CLAIM-9",
    )
    case = recovery.case_of(debt.debt_id)
    assert (case.next_step_name, case.next_step_eligible_from) == (None, None)
    await advance_batch(recovery.handling(), DUE + timedelta(days=60), 100, RunCounts())
    assert recovery.steps.taken == []


async def test_each_method_stopped_asks_the_next_and_deductions_confirmed_hold_the_invoice_back() -> None:
    recovery = nelc()
    await open_recovery_case(an_overpayment(), recovery.handling())
    await benefit_deduction_stopped(_stop(_requests(recovery)[0]), recovery.handling())
    ongoing = _requests(recovery)[-1]
    assert ongoing.method == "ongoing_benefit"
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
    assert len(_requests(recovery)) == 2
    assert [e.entry for e in recovery.record.entries][-1] == "benefit_deduction_confirmed"
    assert "£12.00 a week" in recovery.record.entries[-1].summary


async def test_every_method_stopped_the_reminder_follows_fourteen_days_after_the_last_stop() -> None:
    recovery = nelc()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    last_stop = DUE + timedelta(days=30)
    for _ in BENEFIT_METHODS:
        await benefit_deduction_stopped(_stop(_requests(recovery)[-1], last_stop), recovery.handling())
    assert [r.method for r in _requests(recovery)] == [m.value for m in BENEFIT_METHODS]
    case = recovery.case_of(debt.debt_id)
    assert (case.next_step_name, case.next_step_eligible_from) == ("reminder", last_stop + timedelta(days=14))
    assert any(e.entry == "order_of_recovery" for e in recovery.record.entries)


async def test_an_answer_to_a_request_recovery_never_made_is_refused() -> None:
    recovery = nelc()
    await open_recovery_case(an_overpayment(), recovery.handling())
    forged = _stop(_requests(recovery)[0]).model_copy(update={"request_id": uuid4()})
    with pytest.raises(MalformedMessage, match="no benefit deduction request"):
        await benefit_deduction_stopped(forged, recovery.handling())
