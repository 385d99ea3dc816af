"""Holds other than a breathing space and deductions from benefit, through the real broker and database: an
appeal against the overpayment decision suspends the deduction from ongoing benefit until it is decided (DWP
HB/CTB overpayments guide; Child Support, Pensions and Social Security Act 2000, Sch 7), saying which hold and
why (`recovery.benefit_deduction.suspension_requested`, on the case record); lifting the hold asks the method
again. A dispute over part of the balance does not stop recovery, so it leaves the deduction alone.

Recovery runs configured for North East Lincolnshire (`nelc_recovery.py`), on dates in 2018."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.contracts.billing import DebtSettled
from tests.council_bus import eventually, publish
from tests.integration.recovery.hb_deductions import an_overpayment, deducting_from_ongoing_benefit
from tests.integration.recovery.nelc_recovery import nelc_recovery, officer_desk, record_of  # noqa: F401
from tests.integration.recovery.recovery_bus import Heard, heard_eventually

pytestmark = pytest.mark.usefixtures("nelc_recovery")

RAISED, DUE = date(2018, 8, 1), date(2018, 8, 15)
APPEALED = date(2018, 8, 20)


async def test_an_appeal_suspends_the_deduction_from_ongoing_benefit_until_it_is_decided(
    heard: Heard,
) -> None:
    debt = an_overpayment(RAISED, DUE, 360_00)
    case_id, ongoing = await deducting_from_ongoing_benefit(heard, debt, 10_00)
    async with officer_desk() as desk:
        applied = await desk.post(
            f"/cases/{case_id}/holds",
            json={
                "kind": "appeal",
                "reason": "appeal lodged against the overpayment decision",
                "starts_on": APPEALED.isoformat(),
                "review_on": (APPEALED + timedelta(days=90)).isoformat(),
            },
        )
        assert applied.status_code == 201, applied.text
        hold_id = applied.json()["hold_id"]
        (suspension,) = await heard_eventually(
            heard, "recovery.benefit_deduction.suspension_requested", case_id=case_id
        )
        assert (suspension["request_id"], suspension["hold_kind"], suspension["hold_id"]) == (
            ongoing["request_id"],
            "appeal",
            hold_id,
        )
        assert suspension["suspend_from"] == APPEALED.isoformat() and suspension["moratorium_reference"] == ""
        assert hold_id in suspension["reason"] and "Sch 7" in suspension["reason"]
        suspended = [s for e, s in await record_of(case_id) if e == "benefit_deduction_suspension_requested"]
        assert len(suspended) == 1 and "Sch 7" in suspended[0]

        lifted = await desk.post(
            f"/cases/{case_id}/holds/{hold_id}/lift", json={"reason": "appeal decided: overpayment upheld"}
        )
        assert lifted.status_code == 200, lifted.text
    again = (await heard_eventually(heard, "recovery.benefit_deduction.requested", 3, case_id=case_id))[-1]
    assert again["method"] == "ongoing_benefit" and again["request_id"] != ongoing["request_id"]
    await publish(DebtSettled(debt_id=debt.debt_id, settled_on=APPEALED + timedelta(days=100)))


async def test_a_dispute_over_part_of_the_overpayment_leaves_the_deduction_running(heard: Heard) -> None:
    debt = an_overpayment(RAISED, DUE, 360_00)
    case_id, _ = await deducting_from_ongoing_benefit(heard, debt, 10_00)
    async with officer_desk() as desk:
        applied = await desk.post(
            f"/cases/{case_id}/holds",
            json={
                "kind": "dispute",
                "reason": "claimant disputes two weeks of the overpayment period",
                "starts_on": APPEALED.isoformat(),
                "disputed_amount_pence": 60_00,
            },
        )
        assert applied.status_code == 201, applied.text
    await heard_eventually(heard, "recovery.hold.applied", case_id=case_id, reason="dispute")
    await eventually(lambda: record_of(case_id), lambda r: r[-1][0] == "hold")
    assert heard.about("recovery.benefit_deduction.suspension_requested", case_id=case_id) == []
    assert "benefit_deduction_suspension_requested" not in [e for e, _ in await record_of(case_id)]
    await publish(DebtSettled(debt_id=debt.debt_id, settled_on=APPEALED + timedelta(days=100)))
