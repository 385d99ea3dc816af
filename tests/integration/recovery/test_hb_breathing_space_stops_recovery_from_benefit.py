"""Breathing space and deductions from benefit through the real broker and database (Debt Respite Scheme
Regulations 2020, reg 7: no step to collect a moratorium debt). A breathing space that starts on a housing benefit
overpayment whose deduction is running asks the benefits system to suspend it
(`recovery.benefit_deduction.suspension_requested`) and its end asks the method again; an overpayment raised
during a breathing space is not asked of the benefits system until the breathing space ends.

Recovery runs configured for North East Lincolnshire (`nelc_recovery.py`), on dates in 2018."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from shared.contracts.billing import DebtRaised, DebtSettled
from shared.contracts.breathing_space import BreathingSpaceHoldEnded, BreathingSpaceHoldStarted
from tests.council_bus import eventually, publish
from tests.integration.recovery.hb_deductions import an_overpayment, deducting_from_ongoing_benefit
from tests.integration.recovery.nelc_recovery import nelc_recovery, record_of  # noqa: F401
from tests.integration.recovery.recovery_bus import Heard, heard_eventually, raise_debt, run_daily

pytestmark = pytest.mark.usefixtures("nelc_recovery")

RAISED, DUE = date(2018, 7, 2), date(2018, 7, 16)
SPACE_STARTS = date(2018, 7, 20)
LAST_PROTECTED = SPACE_STARTS + timedelta(days=59)


def started(reference: str, debt: DebtRaised) -> BreathingSpaceHoldStarted:
    return BreathingSpaceHoldStarted(
        moratorium_reference=reference,
        hold_version=1,
        kind="standard",
        starts_on=SPACE_STARTS,
        expected_end_on=LAST_PROTECTED,
        customer_ids=list(debt.customer_ids),
        debt_ids=[debt.debt_id],
    )


def ended(reference: str, debt: DebtRaised) -> BreathingSpaceHoldEnded:
    return BreathingSpaceHoldEnded(
        moratorium_reference=reference,
        hold_version=2,
        how="expired",
        last_protected_day=LAST_PROTECTED,
        debt_ids=[debt.debt_id],
    )


async def test_a_breathing_space_suspends_a_running_deduction_from_benefit_and_its_end_asks_it_again(
    heard: Heard,
) -> None:
    debt = an_overpayment(RAISED, DUE, 480_00)
    case_id, ongoing = await deducting_from_ongoing_benefit(heard, debt, 12_00)

    reference = f"BS-{uuid4().hex[:8]}"
    await publish(started(reference, debt), producer="breathing_space")
    (suspension,) = await heard_eventually(
        heard, "recovery.benefit_deduction.suspension_requested", case_id=case_id
    )
    assert (suspension["request_id"], suspension["moratorium_reference"], suspension["suspend_from"]) == (
        ongoing["request_id"],
        reference,
        SPACE_STARTS.isoformat(),
    )
    entries = [entry for entry, _ in await record_of(case_id)]
    assert "benefit_deduction_suspension_requested" in entries

    await publish(ended(reference, debt), producer="breathing_space")
    again = (await heard_eventually(heard, "recovery.benefit_deduction.requested", 3, case_id=case_id))[-1]
    assert again["method"] == "ongoing_benefit" and again["request_id"] != ongoing["request_id"]
    await publish(DebtSettled(debt_id=debt.debt_id, settled_on=LAST_PROTECTED + timedelta(days=1)))


async def test_an_overpayment_raised_in_a_breathing_space_is_asked_of_the_benefits_system_only_when_it_ends(
    heard: Heard,
) -> None:
    debt = an_overpayment(RAISED, DUE, 480_00)
    reference = f"BS-{uuid4().hex[:8]}"
    await publish(started(reference, debt), producer="breathing_space")  # the debt reaches recovery after
    await heard_eventually(heard, "recovery.breathing_space_hold.confirmed", moratorium_reference=reference)
    case_id = await raise_debt(debt)
    await eventually(
        lambda: record_of(case_id), lambda r: any(entry == "benefit_deduction_deferred" for entry, _ in r)
    )
    await run_daily(SPACE_STARTS + timedelta(days=20))
    assert heard.about("recovery.benefit_deduction.requested", case_id=case_id) == []

    await publish(ended(reference, debt), producer="breathing_space")
    (request,) = await heard_eventually(heard, "recovery.benefit_deduction.requested", case_id=case_id)
    assert request["method"] == "arrears_of_benefit"
    await publish(DebtSettled(debt_id=debt.debt_id, settled_on=LAST_PROTECTED + timedelta(days=1)))
