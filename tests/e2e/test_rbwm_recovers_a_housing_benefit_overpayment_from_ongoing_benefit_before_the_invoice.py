"""RBWM recovers a housing benefit overpayment from ongoing benefit before the invoice (RBWM Debt Recovery Policy 9:
"Normally overpayments of Housing Benefit will be recovered from the customer's on-going benefit entitlement at a
specified weekly rate. If there is no longer an apparent entitlement to Housing Benefit, an invoice will be sent";
Housing Benefit Regulations 2006 reg 102(1)).

The benefits system raises a £480 overpayment on 1 April 2026, due 29 April, and billing raises the debt. Recovery
asks the benefits system to deduct it from her ongoing housing benefit (`recovery.benefit_deduction.requested`);
the benefits system (this test, as the council systems' broker user) confirms £11.10 a week from 6 April. Daily
runs past the first reminder's day and well beyond send no reminder while the deductions run. On 14 August her claim
ends: the benefits system says the deduction stopped; RBWM names no other method, so the invoice timetable runs from
that day: the first reminder 21 days later, on 4 September, and nothing before.

Billing and recovery (configured for RBWM) run as real processes over the real broker and database; what the test
knows it learns from the events on the broker, recovery's HTTP API and the services' tables.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from shared.contracts.benefits import (
    BenefitDeductionConfirmed,
    BenefitDeductionRequested,
    BenefitDeductionStopped,
)
from shared.contracts.recovery import CaseReferred, NoticeIssued, StageAdvanced
from tests.council_bus import eventually, publish
from tests.e2e.council_services import CouncilServices, RunningService, row
from tests.e2e.residents import a_charge, a_resident, case_record, raised
from tests.heard_on_the_broker import HeardOnTheBroker

OVERPAYMENT = 480_00
RAISED = date(2026, 4, 1)
DUE = date(2026, 4, 29)
DEDUCTIONS_FROM = date(2026, 4, 6)
WEEKLY = 11_10
CLAIM_ENDED = date(2026, 8, 14)
FIRST_REMINDER = CLAIM_ENDED + timedelta(days=21)  # RBWM 9's invoice: the first reminder 21 days after
WHILE_DEDUCTING = [DUE, DUE + timedelta(days=21), DUE + timedelta(days=35), DUE + timedelta(days=90)]
"""Daily runs while the deductions go on: the due date, the invoice's first and second reminder days, and later."""


@pytest.fixture(scope="module")
async def council():
    services = CouncilServices(
        RunningService("billing", http=True),
        RunningService("recovery", http=True, RECOVERY_COUNCIL="rbwm"),
    )
    try:
        yield await services.start()
    finally:
        services.stop()


@pytest.fixture(scope="module")
async def broker():
    """Everything recovery publishes while the scenario runs."""
    async with HeardOnTheBroker("recovery.#") as heard:
        yield heard


async def the_case(council: CouncilServices, case_id: UUID) -> dict[str, Any]:
    """The case and its record, as an officer sees it in recovery."""
    async with council["recovery"].client() as recovery:
        answer = await recovery.get(f"/cases/{case_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()


async def recorded(council: CouncilServices, case_id: UUID, entry: str) -> list[str]:
    """The summaries of the case record's entries of this kind, waiting until there is one."""

    async def entries() -> list[str]:
        record = (await the_case(council, case_id))["record"]
        return [r["summary"] for r in record if r["entry"] == entry]

    return await eventually(entries, bool)


async def test_the_overpayment_is_recovered_from_ongoing_benefit_and_invoiced_only_once_the_claim_ends(
    council, broker
):
    await council.business_date_is(RAISED)
    overpayment = await raised(
        a_charge(a_resident(), "housing_benefit_overpayment", OVERPAYMENT, raised_on=RAISED, due_date=DUE)
    )
    case_id: UUID = overpayment["case_id"]
    on_her_case = on_the_case(case_id)

    # Recovery asks the benefits system to deduct the overpayment from her ongoing housing benefit.
    [request] = await broker.wait_for(BenefitDeductionRequested, on_her_case)
    assert (request.method, request.amount_pence, request.requested_on) == (
        "ongoing_benefit",
        OVERPAYMENT,
        RAISED,
    )
    assert request.debt_id == overpayment["debt_id"]
    assert request.claim_reference == overpayment["external_reference"]
    assert request.customer_ids == [overpayment["customer_id"]]

    # The benefits system confirms deductions of £11.10 a week.
    await publish(
        BenefitDeductionConfirmed(
            request_id=request.request_id,
            case_id=case_id,
            method="ongoing_benefit",
            starts_on=DEDUCTIONS_FROM,
            amount_pence_per_week=WEEKLY,
        ),
        producer="benefits",
    )
    [confirmed] = await recorded(council, case_id, "benefit_deduction_confirmed")
    assert "£11.10 a week from 2026-04-06" in confirmed, confirmed

    # While the deductions run, no reminder: not on the due date, not on the invoice's reminder days, not later.
    for day in WHILE_DEDUCTING:
        await council.daily_run(day)
    assert broker.of(NoticeIssued, on_her_case) == [], await case_record(case_id)
    assert broker.of(StageAdvanced, on_her_case) == []
    assert broker.of(CaseReferred, on_her_case) == []

    # Her claim ends: the benefits system says the deduction stopped. RBWM 9 names no other method: the invoice.
    await council.business_date_is(CLAIM_ENDED)
    await publish(
        BenefitDeductionStopped(
            request_id=request.request_id,
            case_id=case_id,
            method="ongoing_benefit",
            stopped_on=CLAIM_ENDED,
            reason="claim ended",
        ),
        producer="benefits",
    )
    [stopped] = await recorded(council, case_id, "benefit_deduction_stopped")
    assert "claim ended" in stopped, stopped
    position = await eventually(
        lambda: row(
            "SELECT next_step_name, next_step_eligible_from FROM recovery.recovery_case WHERE case_id = $1",
            case_id,
        ),
        lambda found: found is not None and found["next_step_name"] is not None,
    )
    assert position == {"next_step_name": "first_reminder", "next_step_eligible_from": FIRST_REMINDER}

    # The invoice timetable runs from the day the deduction stopped: nothing the day before the first reminder.
    await council.daily_run(FIRST_REMINDER - timedelta(days=1))
    assert broker.of(NoticeIssued, on_her_case) == [], await case_record(case_id)
    await council.daily_run(FIRST_REMINDER)
    [reminder] = await broker.wait_for(NoticeIssued, on_her_case)
    assert (reminder.step_name, reminder.issued_on) == ("first_reminder", FIRST_REMINDER), await case_record(
        case_id
    )
    assert reminder.amount_pence == OVERPAYMENT
    assert len(broker.of(BenefitDeductionRequested, on_her_case)) == 1, (
        "ongoing benefit was the only method asked"
    )


def on_the_case(case_id: UUID) -> Any:
    return lambda message: getattr(message, "case_id", None) == case_id
