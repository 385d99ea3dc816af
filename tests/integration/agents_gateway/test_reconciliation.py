"""Reconciliation of the agent: placements never acknowledged, payments reported but never posted, and activity
reported on a case the council recalled."""

from __future__ import annotations

from datetime import date

from services.agents_gateway.domain.records import PaymentCollected, PlacementAcknowledged, StatusUpdate
from shared.contracts.recovery import RecallRequested
from tests.council_bus import eventually, publish
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_council_tax_referral,
    placed_with_the_agent,
    placement_status,
)


async def test_reconciliation_finds_silence_unposted_payments_and_activity_after_recall(gateway, http, agent):
    silent = await a_council_tax_referral()
    recalled = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, silent)
    await placed_with_the_agent(http, agent, recalled)
    placed_on = (await http.get(f"/placements/{silent.referral_id}")).json()["placed_on"]

    await publish(
        RecallRequested(
            referral_id=recalled.referral_id,
            case_id=recalled.case_id,
            debt_id=recalled.debt_id,
            reason="officer decision",
            immediate=False,
            requested_on=date(2026, 6, 10),
        )
    )
    await eventually(lambda: placement_status(recalled.referral_id), lambda status: status == "recalled")
    case = str(recalled.referral_id)
    agent.send_returns(
        [
            PlacementAcknowledged(
                case_reference=case, agent_reference="BR-77", acknowledged_on=date(2026, 6, 3)
            ),
            StatusUpdate(case_reference=case, stage="enforcement", effective_on=date(2026, 6, 20)),
            PaymentCollected(
                case_reference=case,
                agent_reference="BR-77",
                payment_reference=f"LATE-{case[:8]}",
                amount_pence=50_00,
                collected_on=date(2026, 6, 21),
            ),
        ]
    )
    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    assert [f["outcome"] for f in files if f["outcome"] != "duplicate"] == ["applied"]

    as_of = date.fromisoformat(placed_on).replace(year=date.fromisoformat(placed_on).year + 1)
    result = (await http.get("/reconciliation", params={"as_of": str(as_of), "posting_lag_days": 3})).json()
    assert str(silent.referral_id) in {p["case_reference"] for p in result["unacknowledged_placements"]}
    assert case not in {p["case_reference"] for p in result["unacknowledged_placements"]}
    assert f"LATE-{case[:8]}" in {p["payment_reference"] for p in result["payments"]["reported_not_posted"]}
    after_recall = {(a["case_reference"], a["record_kind"]) for a in result["activity_after_recall"]}
    assert (case, "status_update") in after_recall and (case, "payment_collected") in after_recall
    assert (case, "placement_acknowledged") not in after_recall  # before the recall

    # Within the allowed days nothing is overdue.
    early = (await http.get("/reconciliation", params={"as_of": placed_on, "after_days": 5})).json()
    assert str(silent.referral_id) not in {p["case_reference"] for p in early["unacknowledged_placements"]}


async def test_a_return_requested_by_the_council_goes_in_the_next_file(gateway, http, agent):
    referral = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, referral)
    response = await http.post(
        f"/placements/{referral.referral_id}/return-request",
        json={"reason": "debtor moved to a payment plan"},
    )
    assert response.status_code == 202
    await http.post(f"/agents/{AGENT}/send-now")
    [request] = agent.records_about(str(referral.referral_id), "return_requested")
    assert request.reason == "debtor moved to a payment plan"

    unknown = await http.post(
        "/placements/00000000-0000-0000-0000-000000000000/return-request", json={"reason": "whatever"}
    )
    assert unknown.status_code == 404
    assert (await http.post(f"/placements/{referral.referral_id}/return-request", json={})).status_code == 422
