"""A NELC housing benefit overpayment whose recovery from ongoing benefit is running, through the real broker: the
setup shared by the tests of holds that suspend a deduction (a breathing space, an appeal, a dispute)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from shared.contracts.benefits import BenefitDeductionConfirmed, BenefitDeductionStopped
from shared.contracts.billing import DebtRaised
from tests.council_bus import eventually, publish
from tests.integration.recovery.nelc_recovery import record_of
from tests.integration.recovery.recovery_bus import Heard, a_debt, heard_eventually, raise_debt


def an_overpayment(raised: date, due: date, amount_pence: int) -> DebtRaised:
    """An overpayment raised by the benefits service (income code HBO01) in 2018/19."""
    return a_debt(
        "housing_benefit_overpayment",
        due=due,
        raised_on=raised,
        financial_year="2018/19",
        amount=amount_pence,
        originating_service="Benefits",
        income_code="HBO01",
    )


async def deducting_from_ongoing_benefit(
    heard: Heard, debt: DebtRaised, weekly_pence: int
) -> tuple[UUID, dict[str, Any]]:
    """The overpayment's case, its arrears of benefit stopped and its deduction from ongoing benefit confirmed a
    week after it was raised; returns the case and recovery's request for the ongoing deduction."""
    case_id = await raise_debt(debt)
    (arrears,) = await heard_eventually(heard, "recovery.benefit_deduction.requested", case_id=case_id)
    await publish(
        BenefitDeductionStopped(
            request_id=UUID(arrears["request_id"]),
            case_id=case_id,
            method=arrears["method"],
            stopped_on=debt.raised_on,
            reason="no arrears of benefit",
        )
    )
    ongoing = (await heard_eventually(heard, "recovery.benefit_deduction.requested", 2, case_id=case_id))[-1]
    assert ongoing["method"] == "ongoing_benefit"
    await publish(
        BenefitDeductionConfirmed(
            request_id=UUID(ongoing["request_id"]),
            case_id=case_id,
            method="ongoing_benefit",
            starts_on=debt.raised_on + timedelta(days=7),
            amount_pence_per_week=weekly_pence,
        )
    )
    await eventually(lambda: record_of(case_id), lambda r: r[-1][0] == "benefit_deduction_confirmed")
    return case_id, ongoing
