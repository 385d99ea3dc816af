"""Which referrals become placements, and when they go: refused when no agent may lawfully take them (published,
and an officer's tray item until redirected to a collection agency or returned to recovery), waiting for the
debtor when billing has not announced them yet, and held back while the debt is in a breathing space."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.billing import CustomerRegistered
from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from shared.contracts.council_systems import LiableParty, PostalAddress
from shared.contracts.recovery import CaseReferred
from tests.council_bus import eventually, fetch_value, publish
from tests.identity import officer_headers
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_debtor,
    placed_with_the_agent,
    placement_status,
    published,
)


def a_referral(customer_id, **overrides) -> CaseReferred:
    values = dict(
        referral_id=uuid4(),
        case_id=uuid4(),
        debt_id=uuid4(),
        customer_ids=[customer_id],
        debt_type="council_tax",
        balance_pence=400_00,
        referred_on=date(2026, 6, 1),
        agency_kind="enforcement_agent",
        liability_order_reference="LO-77",
        liability_order_date=date(2026, 5, 1),
    )
    values.update(overrides)
    return CaseReferred(**values)


async def test_a_referral_no_agent_may_take_is_refused_with_the_reason(gateway):
    customer = await a_debtor()
    no_order = a_referral(customer, liability_order_reference=None, liability_order_date=None)
    no_judgment = a_referral(
        customer, debt_type="sundry", liability_order_reference=None, liability_order_date=None
    )
    no_agency = a_referral(customer, debt_type="business_rates", agency_kind="collection_agency")
    for referral in (no_order, no_judgment, no_agency):
        await publish(referral)
    for referral, reason, alternatives in (
        (no_order, "liability order", []),
        (no_judgment, "county court judgment", ["COLLECTCO"]),
        (no_agency, "no collection_agency in the registry takes business_rates debts", []),
    ):
        [refused] = await eventually(
            lambda referral=referral: published(
                "agents_gateway.placement.refused", "referral_id", str(referral.referral_id)
            ),
            lambda found: len(found) == 1,
        )
        assert reason in refused["reasons"][0]
        assert refused["lawful_alternatives"] == alternatives
        assert await placement_status(referral.referral_id) == "refused"
        # Recovery is not told to move on until an officer decides.
        assert (
            await published("agents_gateway.placement.rejected", "referral_id", str(referral.referral_id))
            == []
        )


async def _refused_sundry_referral():
    referral = a_referral(
        await a_debtor(), debt_type="sundry", liability_order_reference=None, liability_order_date=None
    )
    await publish(referral)
    await eventually(lambda: placement_status(referral.referral_id), lambda status: status == "refused")
    return referral


async def test_a_refused_referral_waits_in_the_officers_tray_with_its_age_and_lawful_alternatives(
    gateway, http
):
    referral = await _refused_sundry_referral()

    tray = (await http.get("/placements/refused", params={"limit": 1000})).json()
    [item] = [item for item in tray["items"] if item["referral_id"] == str(referral.referral_id)]
    assert tray["waiting"] >= 1 and tray["oldest_hours_waiting"] is not None
    assert item["agent_chosen"] == AGENT and item["agency_kind_asked_for"] == "enforcement_agent"
    assert "county court judgment" in item["reasons"][0]
    assert item["lawful_alternatives"] == ["COLLECTCO"] and item["hours_waiting"] >= 0
    status = (await http.get("/status")).json()
    assert status["status"] == "alert" and status["refused_awaiting_officer"] >= 1


async def test_an_officer_redirects_a_refused_referral_to_the_collection_agency(gateway, http):
    referral = await _refused_sundry_referral()

    to_bristow = await http.post(f"/placements/{referral.referral_id}/redirect", json={"agent": AGENT})
    assert to_bristow.status_code == 409 and "county court judgment" in to_bristow.json()["detail"]

    redirected = await http.post(
        f"/placements/{referral.referral_id}/redirect", json={"reason": "no judgment: collection only"}
    )
    assert redirected.status_code == 200, redirected.text
    assert redirected.json() == {
        "status": "awaiting_file",
        "agent": "COLLECTCO",
        "agency_kind": "collection_agency",
    }
    placement = (await http.get(f"/placements/{referral.referral_id}")).json()
    assert placement["status"] == "awaiting_file" and placement["agent_code"] == "COLLECTCO"
    assert placement["decision"] == "redirected" and "agents.officer" in placement["decided_by"]
    assert placement["redirected_from"] == AGENT
    [event] = await published("agents_gateway.placement.redirected", "referral_id", str(referral.referral_id))
    assert event["agent"] == "COLLECTCO" and event["redirected_by"] == placement["decided_by"]
    tray = (await http.get("/placements/refused", params={"limit": 1000})).json()
    assert str(referral.referral_id) not in [item["referral_id"] for item in tray["items"]]
    again = await http.post(f"/placements/{referral.referral_id}/redirect", json={})
    assert again.status_code == 404


async def test_an_officer_returns_a_refused_referral_to_recovery(gateway, http):
    referral = await _refused_sundry_referral()

    returned = await http.post(
        f"/placements/{referral.referral_id}/return-to-recovery", json={"reason": "seek a judgment first"}
    )
    assert returned.status_code == 200, returned.text
    [rejected] = await published(
        "agents_gateway.placement.rejected", "referral_id", str(referral.referral_id)
    )
    assert rejected["debt_id"] == str(referral.debt_id) and rejected["agent"] == AGENT
    assert "seek a judgment first" in rejected["reason"] and "agents.officer" in rejected["reason"]
    placement = (await http.get(f"/placements/{referral.referral_id}")).json()
    assert (
        placement["decision"] == "returned_to_recovery"
        and placement["decision_reason"] == "seek a judgment first"
    )
    again = await http.post(
        f"/placements/{referral.referral_id}/return-to-recovery", json={"reason": "again"}
    )
    assert again.status_code == 404


async def test_the_tray_is_for_agents_officers_to_act_on_and_auditors_to_read(gateway, http):
    referral = await _refused_sundry_referral()
    anonymous = await http.get("/placements/refused", headers={"Authorization": ""})
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    auditor = officer_headers("auditor")
    assert (await http.get("/placements/refused", headers=auditor)).status_code == 200
    refused = await http.post(f"/placements/{referral.referral_id}/redirect", json={}, headers=auditor)
    assert refused.status_code == 403
    nobody = await http.get("/placements/refused", headers=officer_headers("no.roles"))
    assert nobody.status_code == 403
    assert await placement_status(referral.referral_id) == "refused"


async def test_a_sundry_debt_with_its_judgment_goes_to_the_enforcement_agent(gateway, http, agent):
    referral = a_referral(
        await a_debtor(),
        debt_type="sundry",
        liability_order_reference=None,
        liability_order_date=None,
        judgment_court="Derby County Court",
        judgment_claim_number="K1QZ1234",
        judgment_on=date(2026, 4, 2),
    )
    await publish(referral)
    await eventually(lambda: placement_status(referral.referral_id), lambda status: status == "awaiting_file")
    placement = await placed_with_the_agent(http, agent, referral)
    assert placement.debts[0].judgment is not None
    assert placement.debts[0].judgment.claim_number == "K1QZ1234"


async def test_a_placement_waits_for_its_debtor(gateway, http, agent):
    unknown_customer = uuid4()
    referral = a_referral(unknown_customer)
    await publish(referral)
    await eventually(lambda: placement_status(referral.referral_id), lambda status: status == "awaiting_file")
    await http.post(f"/agents/{AGENT}/send-now")
    assert agent.records_about(str(referral.referral_id)) == []
    assert await placement_status(referral.referral_id) == "awaiting_file"

    await publish(
        CustomerRegistered(
            customer_id=unknown_customer,
            identity=LiableParty(
                kind="organisation",
                organisation_name="Riverside Traders Ltd",
                address=PostalAddress(lines=["Unit 4", "Riverside Park", "Derby"], postcode="DE24 8HP"),
            ),
        )
    )
    await eventually(lambda: placement_status(referral.referral_id), lambda status: status == "awaiting_file")
    placement = await eventually(
        lambda: _send_and_find(http, agent, referral), lambda found: found is not None, timeout=20
    )
    assert placement.debtor.kind == "organisation" and placement.debtor.name == "Riverside Traders Ltd"


async def _send_and_find(http, agent, referral):
    await http.post(f"/agents/{AGENT}/send-now")
    found = agent.records_about(str(referral.referral_id), "placement")
    return found[0] if found else None


async def test_a_debt_in_breathing_space_is_not_placed_while_the_space_lasts(gateway, http, agent):
    customer = await a_debtor()
    referral = a_referral(customer)
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=f"BS-{uuid4().hex[:10]}",
            hold_version=1,
            kind="standard",
            starts_on=date(2020, 1, 1),
            expected_end_on=None,
            customer_ids=[customer],
            debt_ids=[referral.debt_id],
        )
    )
    await publish(referral)
    await eventually(lambda: placement_status(referral.referral_id), lambda status: status == "awaiting_file")
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.breathing_space_period WHERE debt_id = $1", referral.debt_id
        ),
        lambda count: count == 1,
    )
    await http.post(f"/agents/{AGENT}/send-now")
    assert agent.records_about(str(referral.referral_id)) == []
    assert await placement_status(referral.referral_id) == "awaiting_file"
