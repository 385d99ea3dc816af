"""NELC 7.2 through the real broker and database (`shared/contracts/benefits.py`): a housing benefit overpayment's
case asks the benefits system (`recovery.benefit_deduction.requested`) from arrears of benefit; the benefits system's
`council_systems.benefit_deduction.stopped` moves it to the next method, `.confirmed` puts deductions on the case
record and holds the invoice back; once every method has stopped the reminder follows from that day.

Recovery runs configured for North East Lincolnshire (`nelc_recovery.py`), on dates in 2018."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from shared.contracts.benefits import BenefitDeductionConfirmed, BenefitDeductionStopped
from shared.contracts.billing import DebtSettled
from tests.council_bus import eventually, publish
from tests.integration.recovery.nelc_recovery import nelc_recovery, record_of  # noqa: F401
from tests.integration.recovery.recovery_bus import (
    Heard,
    a_debt,
    case_row,
    heard_eventually,
    raise_debt,
    run_daily,
    steps_of,
)

pytestmark = pytest.mark.usefixtures("nelc_recovery")

RAISED, DUE = date(2018, 5, 1), date(2018, 5, 15)
METHODS = ("arrears_of_benefit", "ongoing_benefit", "council_tax_reduction", "other_benefits_dwp")


async def an_overpayment(heard: Heard) -> tuple[UUID, UUID, dict[str, Any]]:
    """A housing benefit overpayment raised: (debt id, case id, the first request to the benefits system)."""
    debt = a_debt(
        "housing_benefit_overpayment",
        due=DUE,
        raised_on=RAISED,
        financial_year="2018/19",
        amount=640_00,
        originating_service="Benefits",
        income_code="HBO01",
    )
    case_id = await raise_debt(debt)
    (first,) = await heard_eventually(heard, "recovery.benefit_deduction.requested", case_id=case_id)
    return debt.debt_id, case_id, first


async def stopped(
    heard: Heard, case_id: UUID, request: dict[str, Any], on: date, count: int
) -> dict[str, Any]:
    """The benefits system stops the request; returns the next request recovery makes (the count-th)."""
    await publish(
        BenefitDeductionStopped(
            request_id=UUID(request["request_id"]),
            case_id=case_id,
            method=request["method"],
            stopped_on=on,
            reason="no entitlement to this",
        )
    )
    requests = await heard_eventually(heard, "recovery.benefit_deduction.requested", count, case_id=case_id)
    return requests[-1]


async def test_the_benefits_system_is_asked_method_by_method_and_deductions_hold_the_invoice_back(heard):
    debt_id, case_id, first = await an_overpayment(heard)
    assert (first["method"], first["amount_pence"], first["debt_id"]) == (
        "arrears_of_benefit",
        640_00,
        str(debt_id),
    )

    ongoing = await stopped(heard, case_id, first, RAISED + timedelta(days=3), 2)
    assert ongoing["method"] == "ongoing_benefit"
    await publish(
        BenefitDeductionConfirmed(
            request_id=UUID(ongoing["request_id"]),
            case_id=case_id,
            method="ongoing_benefit",
            starts_on=RAISED + timedelta(days=10),
            amount_pence_per_week=15_00,
        )
    )
    await eventually(
        lambda: record_of(case_id), lambda entries: entries[-1][0] == "benefit_deduction_confirmed"
    )
    await run_daily(DUE + timedelta(days=60))  # well past the reminder's day: no invoice step while deducting
    assert await steps_of(case_id) == []
    assert len(heard.about("recovery.benefit_deduction.requested", case_id=case_id)) == 2
    await publish(DebtSettled(debt_id=debt_id, settled_on=DUE + timedelta(days=60)))


async def test_once_every_method_has_stopped_the_reminder_follows_from_that_day(heard):
    debt_id, case_id, request = await an_overpayment(heard)
    last_stop = DUE + timedelta(days=40)
    for count, method in enumerate(METHODS[1:], start=2):
        request = await stopped(heard, case_id, request, last_stop, count)
        assert request["method"] == method
    await publish(
        BenefitDeductionStopped(
            request_id=UUID(request["request_id"]),
            case_id=case_id,
            method=request["method"],
            stopped_on=last_stop,
            reason="the DWP declined",
        )
    )
    reminder_day = last_stop + timedelta(days=14)
    row = await eventually(lambda: case_row(case_id), lambda r: r["next_step_name"] == "reminder")
    assert row["next_step_eligible_from"] == reminder_day
    await run_daily(reminder_day)
    await heard_eventually(heard, "recovery.notice.issued", case_id=case_id, step_name="reminder")
    assert [name for name, _, _ in await steps_of(case_id)] == ["reminder"]
    await publish(DebtSettled(debt_id=debt_id, settled_on=reminder_day))
