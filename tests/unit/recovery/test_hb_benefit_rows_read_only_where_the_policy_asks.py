"""Reading cases for the step engine (review of issue 20): proof of debt requests are read only for the cases whose
policy has a proof of debt step (NELC 5.10), and what was asked of the benefits system only for those whose policy
asks it first (NELC 7.2, RBWM 9); the order of recovery's decision is worked out once a case, when it is read, not
at each of the step engine's questions (is the invoice held back, from when its timetable runs)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from services.recovery.benefit_deductions import benefit_deduction_stopped
from services.recovery.bootstrap import bootstrap
from services.recovery.case_state import load_cases
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain import hb_order_of_recovery
from services.recovery.domain.hb_order_of_recovery import (
    BenefitAnswer,
    BenefitRequestMade,
    BenefitsSystemStanding,
    RecoveryMethod,
    RequestsMade,
    benefits_system_decision,
)
from services.recovery.domain.regulated_case import case_step
from services.recovery.domain.step_engine import StepStatus
from shared.clock import BusinessClock
from shared.contracts.benefits import BenefitDeductionRequested, BenefitDeductionStopped
from shared.contracts.billing import DebtRaised
from tests.unit.recovery.in_memory_stores import InMemoryCases, InMemoryRecovery

ASKED = date(2026, 4, 1)
DUE = date(2026, 4, 15)
NELC_METHODS = tuple(m for m in RecoveryMethod if hb_order_of_recovery.asks_the_benefits_system(m))


class CountingCases(InMemoryCases):
    """The in-memory case store, noting which cases' proof of debt and benefits rows were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.proofs_asked: list[list[UUID]] = []
        self.benefits_asked: list[list[UUID]] = []

    async def proofs_of_debt(self, case_ids: list[UUID]):  # type: ignore[no-untyped-def]
        self.proofs_asked.append(list(case_ids))
        return await super().proofs_of_debt(case_ids)

    async def benefit_requests(self, case_ids: list[UUID]):  # type: ignore[no-untyped-def]
        self.benefits_asked.append(list(case_ids))
        return await super().benefit_requests(case_ids)


def nelc(cases: InMemoryCases | None = None) -> InMemoryRecovery:
    service = dataclasses.replace(bootstrap(council="nelc"), clock=BusinessClock(ASKED))
    return InMemoryRecovery(service, cases=cases or InMemoryCases())


def a_debt(debt_type: str) -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type=debt_type,
        amount_pence=640_00,
        financial_year="2026/27",
        due_date=DUE,
        raised_on=ASKED,
        originating_service="Benefits" if debt_type == "housing_benefit_overpayment" else "Finance",
        income_code="HBO01" if debt_type == "housing_benefit_overpayment" else "SUN01",
        external_reference=f"REF-{uuid4().hex[:8]}",
        evidence_reference="the decision letter",
    )


async def test_proof_of_debt_and_benefit_rows_are_read_only_for_cases_whose_policy_has_those_steps() -> None:
    cases = CountingCases()
    recovery = nelc(cases)
    opened = {}
    for debt_type in ("sundry", "housing_benefit_overpayment", "business_rates"):
        debt = a_debt(debt_type)
        await open_recovery_case(debt, recovery.handling())
        opened[debt_type] = recovery.case_of(debt.debt_id).case_id
    cases.proofs_asked.clear()
    cases.benefits_asked.clear()

    await load_cases(cases, recovery.service.policies, opened.values())
    # NELC's sundry route has a proof of debt step (5.10); its overpayment route asks the benefits system (7.2).
    assert cases.proofs_asked == [[opened["sundry"]]]
    assert cases.benefits_asked == [[opened["housing_benefit_overpayment"]]]

    cases.proofs_asked.clear()
    cases.benefits_asked.clear()
    await load_cases(cases, recovery.service.policies, [opened["business_rates"]])
    assert (cases.proofs_asked, cases.benefits_asked) == ([], []), "rates have neither: nothing read"


async def test_the_requests_of_an_overpayment_case_are_read_with_its_decision() -> None:
    recovery = nelc()
    debt = a_debt("housing_benefit_overpayment")
    await open_recovery_case(debt, recovery.handling())
    case_id = recovery.case_of(debt.debt_id).case_id
    (case,) = (await load_cases(recovery.cases, recovery.service.policies, [case_id])).values()
    requests = case.state.benefit_requests
    assert isinstance(requests, RequestsMade) and requests.methods == NELC_METHODS
    assert (requests.decision.standing, requests.decision.method) == (
        BenefitsSystemStanding.AWAITING,
        RecoveryMethod.ARREARS_OF_BENEFIT,
    )


def test_requests_read_with_their_decision_answer_for_the_same_methods_and_are_decided_afresh_for_others() -> (
    None
):
    made = RequestsMade(
        (RecoveryMethod.ONGOING_BENEFIT,),
        [BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.STOPPED, DUE)],
    )
    assert list(made) == [
        BenefitRequestMade(RecoveryMethod.ONGOING_BENEFIT, ASKED, BenefitAnswer.STOPPED, DUE)
    ]
    assert benefits_system_decision((RecoveryMethod.ONGOING_BENEFIT,), made) is made.decision
    assert made.decision.standing is BenefitsSystemStanding.INVOICE and made.decision.timetable_from == DUE
    # Under NELC's four methods the same requests leave arrears of benefit, never asked, to ask first.
    other = benefits_system_decision(NELC_METHODS, made)
    assert (other.standing, other.method) == (
        BenefitsSystemStanding.ASK,
        RecoveryMethod.ARREARS_OF_BENEFIT,
    )


async def test_the_daily_run_works_the_decision_out_once_a_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every method stopped: the engine asks whether the invoice is held back (twice) and from when its timetable
    runs; the decision is worked out when the case is read, once."""
    recovery = nelc()
    debt = a_debt("housing_benefit_overpayment")
    await open_recovery_case(debt, recovery.handling())
    last_stop = DUE + timedelta(days=30)
    for _ in NELC_METHODS:
        request = recovery.published.of_type(BenefitDeductionRequested)[-1]
        assert isinstance(request, BenefitDeductionRequested)
        await benefit_deduction_stopped(
            BenefitDeductionStopped(
                request_id=request.request_id,
                case_id=request.case_id,
                method=request.method,
                stopped_on=last_stop,
                reason="no entitlement",
            ),
            recovery.handling(),
        )
    case_id = recovery.case_of(debt.debt_id).case_id
    worked_out: list[tuple[RecoveryMethod, ...]] = []
    real = hb_order_of_recovery._decided

    def counted(methods, made):  # type: ignore[no-untyped-def]
        worked_out.append(methods)
        return real(methods, made)

    monkeypatch.setattr(hb_order_of_recovery, "_decided", counted)
    (case,) = (await load_cases(recovery.cases, recovery.service.policies, [case_id])).values()
    assert case.policy is not None
    decided = case_step(
        case.policy, case.state, case.ledger, case.court_results, last_stop + timedelta(days=14)
    )
    assert (decided.status, decided.step and decided.step.name) == (StepStatus.DUE, "reminder")
    assert len(worked_out) == 1, "once, when the case was read"

    worked_out.clear()
    counts = RunCounts()
    await advance_batch(recovery.handling(), last_stop + timedelta(days=14), 100, counts)
    assert [s.step_name for s in recovery.steps.taken] == ["reminder"]
    assert len(worked_out) == 1, "the daily run reads the case once and decides on it once"
