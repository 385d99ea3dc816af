"""A return the council asks an agent for is kept with the officer who asked (from their sign-in, never the body)
and shown wherever return requests are listed: `GET /return-requests` and the placement itself."""

from __future__ import annotations

from tests.identity import officer_headers
from tests.integration.agents_gateway.conftest import AGENT, a_council_tax_referral, placed_with_the_agent


async def test_a_return_request_records_the_officer_who_asked_and_lists_it(gateway, http, agent):
    referral = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, referral)

    asked = await http.post(
        f"/placements/{referral.referral_id}/return-request",
        json={"reason": "debtor moved out of the area", "requested_by": "someone else"},
    )
    assert asked.status_code == 202, asked.text  # a body naming who acted is not believed

    listed = (await http.get("/return-requests", params={"limit": 1000})).json()
    [request] = [r for r in listed if r["referral_id"] == str(referral.referral_id)]
    assert "agents.officer" in request["requested_by"] and "someone else" not in request["requested_by"]
    assert request["reason"] == "debtor moved out of the area" and request["agent"] == AGENT
    assert request["sent_to_agent"] is False

    await http.post(f"/agents/{AGENT}/send-now")
    placement = (await http.get(f"/placements/{referral.referral_id}")).json()
    [shown] = placement["return_requests"]
    assert shown["requested_by"] == request["requested_by"] and shown["sent_to_agent"] is True
    assert agent.records_about(str(referral.referral_id), "return_requested")


async def test_return_requests_are_read_by_auditors_and_asked_only_by_agents_officers(gateway, http):
    referral = await a_council_tax_referral()
    auditor = officer_headers("auditor")

    assert (await http.get("/return-requests", headers=auditor)).status_code == 200
    refused = await http.post(
        f"/placements/{referral.referral_id}/return-request", json={"reason": "whatever"}, headers=auditor
    )
    assert refused.status_code == 403
