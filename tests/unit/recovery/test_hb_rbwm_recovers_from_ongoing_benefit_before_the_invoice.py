"""RBWM 9: "Normally overpayments of Housing Benefit will be recovered from the customer's on-going benefit
entitlement at a specified weekly rate. If there is no longer an apparent entitlement to Housing Benefit, an invoice
will be sent". Derby's appendix 5 recovers by invoice with deductions among the options after the notices (HB Regs
2006 reg 102(1): a power "without prejudice to any other method"). A council's file may name only the methods the
benefits system carries out, each once, in the order of recovery."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.recovery.benefit_deductions import (
    ask_those_never_asked,
    benefit_deduction_confirmed,
    benefit_deduction_stopped,
)
from services.recovery.bootstrap import bootstrap
from services.recovery.case_state import load_cases
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain.hb_order_of_recovery import RecoveryMethod
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.domain.policy import EnforcementOption
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_book
from services.recovery.stores.cases import StoredHold
from shared.clock import BusinessClock
from shared.contracts.benefits import (
    BenefitDeductionConfirmed,
    BenefitDeductionRequested,
    BenefitDeductionStopped,
)
from shared.contracts.billing import DebtRaised
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

from .timetable_walk import shipped_policy

RAISED = date(2026, 4, 1)
DUE = date(2026, 4, 29)


def test_rbwm_asks_for_deductions_from_ongoing_benefit_before_its_invoice_timetable() -> None:
    policy = shipped_policy("rbwm", "housing_benefit_overpayment")
    assert policy.benefits_system_first == (RecoveryMethod.ONGOING_BENEFIT,)
    assert [s.name for s in policy.steps][:2] == ["first_reminder", "second_reminder"]


def test_derby_recovers_by_invoice_with_deductions_among_the_options_its_final_notice_opens() -> None:
    policy = shipped_policy("derby", "housing_benefit_overpayment")
    assert policy.benefits_system_first == ()
    assert EnforcementOption.DEDUCTION_FROM_HOUSING_BENEFIT in policy.step_named("final_notice").opens


# -- RBWM's route with in-memory stores --------------------------------------------------------------------------------
def rbwm() -> InMemoryRecovery:
    return InMemoryRecovery(dataclasses.replace(bootstrap(council="rbwm"), clock=BusinessClock(RAISED)))


def an_overpayment() -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="housing_benefit_overpayment",
        amount_pence=480_00,
        financial_year="2026/27",
        due_date=DUE,
        raised_on=RAISED,
        originating_service="Benefits",
        income_code="HBOP",
        external_reference="HB-CLAIM-RBWM-1",
        evidence_reference="overpayment decision letter",
    )


def _requests(recovery: InMemoryRecovery) -> list[BenefitDeductionRequested]:
    return [
        m
        for m in recovery.published.of_type(BenefitDeductionRequested)
        if isinstance(m, BenefitDeductionRequested)
    ]


async def test_rbwm_sends_no_reminder_while_ongoing_benefit_is_deducted_and_invoices_once_it_stops() -> None:
    recovery = rbwm()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    (request,) = _requests(recovery)
    assert (request.method, request.amount_pence) == ("ongoing_benefit", 480_00)

    await benefit_deduction_confirmed(
        BenefitDeductionConfirmed(
            request_id=request.request_id,
            case_id=request.case_id,
            method="ongoing_benefit",
            starts_on=RAISED + timedelta(days=7),
            amount_pence_per_week=11_10,
        ),
        recovery.handling(),
    )
    await advance_batch(recovery.handling(), DUE + timedelta(days=90), 100, RunCounts())
    assert recovery.steps.taken == [], "no reminder while the deductions run"

    claim_ended = DUE + timedelta(days=100)
    await benefit_deduction_stopped(
        BenefitDeductionStopped(
            request_id=request.request_id,
            case_id=request.case_id,
            method="ongoing_benefit",
            stopped_on=claim_ended,
            reason="claim ended",
        ),
        recovery.handling(),
    )
    assert len(_requests(recovery)) == 1, "RBWM 9 names no other method: the invoice follows"
    case = recovery.case_of(debt.debt_id)
    assert (case.next_step_name, case.next_step_eligible_from) == (
        "first_reminder",
        claim_ended + timedelta(days=21),
    )


async def test_an_overpayment_opened_before_rbwms_file_named_ongoing_benefit_is_asked_when_its_step_falls_due() -> (
    None
):
    """A case opened on the invoice timetable alone is not left waiting for an answer to a question never put:
    when its next step falls due, the benefits system is asked (and no reminder is sent)."""
    recovery = rbwm()
    real = recovery.service
    invoice_only = dataclasses.replace(
        real.policies,
        policies=tuple(
            dataclasses.replace(p, benefits_system_first=())
            if p.debt_type.value == "housing_benefit_overpayment"
            else p
            for p in real.policies.policies
        ),
    )
    recovery.service = dataclasses.replace(real, policies=invoice_only)
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    assert _requests(recovery) == []
    case = recovery.case_of(debt.debt_id)
    assert (case.next_step_name, case.next_step_eligible_from) == ("first_reminder", DUE + timedelta(days=21))

    recovery.service = real  # the file now names ongoing_benefit
    day = DUE + timedelta(days=21)
    await advance_batch(recovery.handling(), day, 100, RunCounts())
    (request,) = _requests(recovery)
    assert (request.method, request.requested_on) == ("ongoing_benefit", day)
    assert recovery.steps.taken == [], "no reminder: the benefits system is asked instead"

    await advance_batch(recovery.handling(), day + timedelta(days=1), 100, RunCounts())
    cases = await load_cases(recovery.cases, real.policies, [request.case_id])
    await ask_those_never_asked(recovery.handling(), cases.values(), day + timedelta(days=2))
    assert len(_requests(recovery)) == 1, "asked once: then it waits for the answer"


async def test_a_case_never_asked_is_not_asked_while_a_breathing_space_holds_it() -> None:
    recovery = rbwm()
    debt = an_overpayment()
    await open_recovery_case(debt, recovery.handling())
    case_id = recovery.case_of(debt.debt_id).case_id
    recovery.cases.benefit_asked.clear()  # as if opened before the file named ongoing_benefit
    space = Hold(
        HoldKind.BREATHING_SPACE,
        "standard breathing space",
        "insolvency service",
        DUE,
        end=DUE + timedelta(days=60),
        reference="BS-1",
    )
    recovery.cases.stored_holds.append(StoredHold(case_id, uuid4(), space))
    cases = await load_cases(recovery.cases, recovery.service.policies, [case_id])
    before = len(_requests(recovery))
    await ask_those_never_asked(recovery.handling(), cases.values(), DUE + timedelta(days=21))
    assert len(_requests(recovery)) == before, "no new recovery method inside a breathing space"


# -- what a policy file may name ------------------------------------------------------------------------------------
def _policy(
    methods: str, steps: str = "      - {name: reminder, kind: reminder, days: 14, after: due_date}\n"
) -> str:
    return (
        "council: testshire\n"
        "policies:\n"
        "  - debt_type: housing_benefit_overpayment\n"
        "    benefits_system_first:\n"
        f"{methods}"
        f"    steps:{' []' if not steps else ''}\n"
        f"{steps}"
    )


def _refused(text: str) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as refused:
        load_policy_book(text, source="testshire.yaml")
    return refused.value


def test_only_the_benefits_systems_methods_are_known_each_named_on_its_own_line() -> None:
    error = _refused(_policy("      - ongoing_benefit\n      - weekly_rent_top_up\n"))
    assert error.line == 6
    assert "unknown order of recovery method 'weekly_rent_top_up'" in error.reason
    assert "arrears_of_benefit, ongoing_benefit, council_tax_reduction, other_benefits_dwp" in error.reason


def test_the_invoice_is_recoverys_own_step_not_a_method_of_the_benefits_system() -> None:
    error = _refused(_policy("      - ongoing_benefit\n      - invoice\n"))
    assert error.line == 6 and "recovery's own step" in error.reason


def test_a_method_named_twice_is_refused() -> None:
    error = _refused(_policy("      - ongoing_benefit\n      - ongoing_benefit\n"))
    assert error.line == 6 and "named twice" in error.reason


def test_an_empty_list_of_methods_is_refused() -> None:
    error = _refused(_policy("      []\n"))
    assert "names no method" in error.reason


def test_methods_with_no_invoice_timetable_after_them_are_refused() -> None:
    error = _refused(_policy("      - ongoing_benefit\n", steps=""))
    assert "needs its steps" in error.reason


def test_rbwms_single_method_loads() -> None:
    (policy,) = load_policy_book(_policy("      - ongoing_benefit\n")).policies
    assert policy.benefits_system_first == (RecoveryMethod.ONGOING_BENEFIT,)
