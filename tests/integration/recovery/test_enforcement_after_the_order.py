"""After a judgment a senior officer chooses an enforcement step over HTTP; the law's rule refuses what it does not
allow (committal is never for a sundry debt; nothing without the judgment), and only a senior officer may choose."""

from __future__ import annotations

from datetime import date

from tests.integration.recovery.recovery_bus import a_debt, heard_eventually, officer_desk, raise_debt


async def test_a_charging_order_on_a_judgment_is_recorded_and_published_and_committal_refused(
    recovery, heard
):
    case_id = await raise_debt(a_debt("sundry", due=date(2026, 5, 1), amount=2_500_00))
    chosen = {"enforcement": "charging_order", "county_court_judgment_reference": "K00DE123"}
    async with officer_desk("senior.officer") as desk:
        without_judgment = await desk.post(
            f"/cases/{case_id}/enforcement", json={"enforcement": "charging_order"}
        )
        committal = await desk.post(
            f"/cases/{case_id}/enforcement", json={**chosen, "enforcement": "committal"}
        )
        recorded = await desk.post(f"/cases/{case_id}/enforcement", json=chosen)
    async with officer_desk("revenues.officer") as desk:
        not_senior = await desk.post(f"/cases/{case_id}/enforcement", json=chosen)

    assert without_judgment.status_code == 422
    assert "needs a county court judgment first" in without_judgment.json()["detail"]
    assert committal.status_code == 422
    assert "committal is for council tax and business rates only" in committal.json()["detail"]
    assert recorded.status_code == 201, recorded.text
    assert not_senior.status_code == 403
    (event,) = await heard_eventually(heard, "recovery.enforcement.chosen", case_id=case_id)
    assert (event["enforcement"], event["order_reference"], event["balance_pence"]) == (
        "charging_order",
        "K00DE123",
        2_500_00,
    )
