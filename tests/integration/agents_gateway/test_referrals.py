"""Which referrals become placements, and when they go: refused when no agent may take them, waiting for the
debtor when billing has not announced them yet, and held back while the debt is in a breathing space."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.billing import CustomerRegistered
from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from shared.contracts.council_systems import LiableParty, PostalAddress
from shared.contracts.recovery import CaseReferred
from tests.council_bus import eventually, fetch_value, publish
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
    no_agency = a_referral(customer, debt_type="sundry", agency_kind="collection_agency")
    for referral in (no_order, no_judgment, no_agency):
        await publish(referral)
    for referral, reason in (
        (no_order, "liability order"),
        (no_judgment, "county court judgment"),
        (no_agency, "no collection_agency in the registry takes sundry debts"),
    ):
        [rejected] = await eventually(
            lambda referral=referral: published(
                "agents_gateway.placement.rejected", "referral_id", str(referral.referral_id)
            ),
            lambda found: len(found) == 1,
        )
        assert reason in rejected["reason"]
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
