"""Fees agents report are checked against the Taking Control of Goods (Fees) Regulations 2014 as they apply to
the debtor: reg 11 (several liability orders against one debtor enforced together) and reg 12 (vulnerable
debtors), end to end through a return file."""

from __future__ import annotations

from datetime import date

from services.agents_gateway.domain.records import FeeCharged, FeeStage, PlacementAcknowledged
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_council_tax_referral,
    a_debtor,
    placed_with_the_agent,
    published,
)


async def _fees_reported(http, agent, records) -> None:
    agent.send_returns(records)
    response = await http.post(f"/agents/{AGENT}/poll-now")
    assert [f["outcome"] for f in response.json()["files"] if f["outcome"] != "duplicate"] == ["applied"]


async def test_two_1400_pound_orders_enforced_together_draw_at_most_332_50_in_enforcement_fees(
    gateway, http, agent
):
    debtor = await a_debtor()
    first = await a_council_tax_referral(1_400_00, customer_id=debtor)
    second = await a_council_tax_referral(1_400_00, customer_id=debtor)
    placement = await placed_with_the_agent(http, agent, first)
    await placed_with_the_agent(http, agent, second)
    # Both orders were in the agent's hands at its visit: they could reasonably be enforced together.
    visit = placement.placed_on
    await _fees_reported(
        http,
        agent,
        [
            PlacementAcknowledged(
                case_reference=str(r.referral_id), agent_reference=f"BR-{n}", acknowledged_on=visit
            )
            for n, r in enumerate((first, second))
        ]
        + [
            FeeCharged(
                case_reference=str(r.referral_id),
                stage=FeeStage.ENFORCEMENT,
                amount_pence=235_00,
                charged_on=visit,
            )
            for r in (first, second)
        ],
    )
    [on_first] = await published("agents_gateway.fee.reported", "debt_id", str(first.debt_id))
    [on_second] = await published("agents_gateway.fee.reported", "debt_id", str(second.debt_id))
    assert on_first["accepted"] is True
    assert on_second["accepted"] is False
    assert "reg 11" in on_second["findings"][0]
    assert "£332.50" in on_second["findings"][0]


async def test_an_enforcement_fee_on_a_vulnerable_debtor_needs_the_opportunity_for_advice(
    gateway, http, agent
):
    refused = await a_council_tax_referral(900_00, vulnerability_flags=["mental_health"])
    allowed = await a_council_tax_referral(900_00, vulnerability_flags=["mental_health"])
    await placed_with_the_agent(http, agent, refused)
    await placed_with_the_agent(http, agent, allowed)
    await _fees_reported(
        http,
        agent,
        [
            FeeCharged(
                case_reference=str(refused.referral_id),
                stage=FeeStage.ENFORCEMENT,
                amount_pence=235_00,
                charged_on=date(2026, 7, 1),
            ),
            FeeCharged(
                case_reference=str(allowed.referral_id),
                stage=FeeStage.ENFORCEMENT,
                amount_pence=235_00,
                charged_on=date(2026, 7, 1),
                advice_opportunity_given_on=date(2026, 6, 20),
            ),
        ],
    )
    [fee] = await published("agents_gateway.fee.reported", "debt_id", str(refused.debt_id))
    assert fee["accepted"] is False
    assert "reg 12" in fee["findings"][0]
    [fee] = await published("agents_gateway.fee.reported", "debt_id", str(allowed.debt_id))
    assert fee["accepted"] is True
