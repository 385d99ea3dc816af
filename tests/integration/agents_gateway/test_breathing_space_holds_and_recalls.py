"""Breathing space stops enforcement at once: every agent holding a covered debt gets a hold (or recall) file of
its own within seconds, not with the next batch, and the gateway then confirms the hold."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from uuid import uuid4

from services.agents_gateway.domain.records import FeeCharged, FeeStage, PlacementAcknowledged
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    HeldDebtScope,
)
from shared.contracts.recovery import RecallRequested
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_council_tax_referral,
    placed_with_the_agent,
    placement_status,
    published,
)


async def records_arriving(agent, case: str, kind: str, timeout: float = 10.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = agent.records_about(case, kind)
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {kind} record for the case reached the agent within {timeout}s")


async def test_a_breathing_space_hold_reaches_the_agent_within_seconds_and_is_confirmed(gateway, http, agent):
    referral = await a_council_tax_referral()
    case = str(referral.referral_id)
    await placed_with_the_agent(http, agent, referral)
    moratorium = f"BS-{uuid4().hex[:10]}"

    started = time.monotonic()
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=moratorium,
            hold_version=1,
            kind="standard",
            starts_on=date(2026, 6, 5),
            expected_end_on=date(2026, 8, 4),
            customer_ids=list(referral.customer_ids),
            debt_ids=[referral.debt_id],
        )
    )
    [hold] = await records_arriving(agent, case, "hold")
    assert time.monotonic() - started < 10
    assert hold.reason == "breathing_space" and hold.starts_on == date(2026, 6, 5)
    # It came in a file of its own, carrying nothing but holds and recalls.
    hold_file = next(r for r in agent.received if hold in r.records)
    assert {record.kind for record in hold_file.records} <= {"hold", "recall"}

    confirmations = await eventually(
        lambda: published(
            "agents_gateway.breathing_space_hold.confirmed", "moratorium_reference", moratorium
        ),
        lambda found: len(found) == 1,
    )
    assert confirmations[0]["hold_version"] == 1
    assert confirmations[0]["confirmed_debt_ids"] == [str(referral.debt_id)]


async def test_the_hold_tells_the_agent_what_of_the_placed_debt_is_in_the_moratorium(gateway, http, agent):
    """Debt Respite Scheme Regulations 2020 reg 6 and 7: the placed sums are moratorium debts, enforcement stops
    entirely; the hold record says how much is the moratorium debt, the ongoing liabilities in the placed balance
    and (by the council's default, the creditor guidance) that the agent does nothing about those either."""
    referral = await a_council_tax_referral(850_00)
    case = str(referral.referral_id)
    await placed_with_the_agent(http, agent, referral)
    moratorium = f"BS-{uuid4().hex[:10]}"

    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=moratorium,
            hold_version=1,
            kind="standard",
            starts_on=date(2026, 6, 5),
            expected_end_on=date(2026, 8, 4),
            customer_ids=list(referral.customer_ids),
            debt_ids=[referral.debt_id],
            scope=[
                HeldDebtScope(
                    debt_id=referral.debt_id,
                    protected_up_to=date(2026, 6, 5),
                    ongoing_liabilities_pence=170_00,
                    ongoing_from=date(2026, 7, 1),
                )
            ],
        )
    )
    [hold] = await records_arriving(agent, case, "hold")
    assert hold.protected_up_to == date(2026, 6, 5)
    assert (hold.moratorium_pence, hold.ongoing_liabilities_pence) == (680_00, 170_00)
    assert hold.ongoing_liabilities_from == date(2026, 7, 1)
    assert hold.ongoing_liabilities_action == "stop"


async def test_a_hold_covering_no_placed_debt_is_confirmed_at_once(gateway):
    moratorium = f"BS-{uuid4().hex[:10]}"
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=moratorium,
            hold_version=3,
            kind="mental_health_crisis",
            starts_on=date(2026, 6, 5),
            expected_end_on=None,
            customer_ids=[uuid4()],
            debt_ids=[uuid4()],
        )
    )
    [confirmation] = await eventually(
        lambda: published(
            "agents_gateway.breathing_space_hold.confirmed", "moratorium_reference", moratorium
        ),
        lambda found: len(found) == 1,
    )
    assert confirmation["hold_version"] == 3


async def test_debts_added_to_a_moratorium_are_held_at_once(gateway, http, agent):
    referral = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, referral)
    moratorium = f"BS-{uuid4().hex[:10]}"
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=moratorium,
            hold_version=1,
            kind="standard",
            starts_on=date(2026, 6, 5),
            expected_end_on=date(2026, 8, 4),
            customer_ids=list(referral.customer_ids),
            debt_ids=[uuid4()],
        )
    )
    await publish(
        BreathingSpaceDebtsAdded(
            moratorium_reference=moratorium,
            hold_version=2,
            starts_on=date(2026, 6, 5),
            debt_ids=[referral.debt_id],
        )
    )
    await records_arriving(agent, str(referral.referral_id), "hold")
    versions = await eventually(
        lambda: published(
            "agents_gateway.breathing_space_hold.confirmed", "moratorium_reference", moratorium
        ),
        lambda found: len(found) == 2,
    )
    assert sorted(c["hold_version"] for c in versions) == [1, 2]


async def test_an_immediate_recall_goes_at_once_and_an_unsent_placement_is_simply_withdrawn(
    gateway, http, agent
):
    placed = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, placed)
    waiting = await a_council_tax_referral()

    for referral in (placed, waiting):
        await publish(
            RecallRequested(
                referral_id=referral.referral_id,
                case_id=referral.case_id,
                debt_id=referral.debt_id,
                reason="breathing space",
                immediate=True,
                requested_on=date(2026, 6, 6),
            )
        )
    [recall] = await records_arriving(agent, str(placed.referral_id), "recall")
    assert recall.recalled_on == date(2026, 6, 6)
    await eventually(lambda: placement_status(waiting.referral_id), lambda status: status == "withdrawn")
    assert await placement_status(placed.referral_id) == "recalled"
    # The withdrawn placement never goes to the agent.
    await http.post(f"/agents/{AGENT}/send-now")
    assert agent.records_about(str(waiting.referral_id)) == []


async def test_a_fee_charged_inside_a_breathing_space_is_flagged_not_accepted(gateway, http, agent):
    referral = await a_council_tax_referral(balance_pence=2_000_00)
    case = str(referral.referral_id)
    await placed_with_the_agent(http, agent, referral)
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=f"BS-{uuid4().hex[:10]}",
            hold_version=1,
            kind="standard",
            starts_on=date(2026, 7, 1),
            expected_end_on=date(2026, 8, 29),
            customer_ids=list(referral.customer_ids),
            debt_ids=[referral.debt_id],
        )
    )
    await records_arriving(agent, case, "hold")
    agent.send_returns(
        [
            PlacementAcknowledged(
                case_reference=case, agent_reference="BR-9", acknowledged_on=date(2026, 6, 3)
            ),
            # Enforcement on £2,000: £235 + 7.5% of £500 = £272.50 is the most; this is within scale but dated
            # inside the breathing space.
            FeeCharged(
                case_reference=case,
                stage=FeeStage.ENFORCEMENT,
                amount_pence=272_50,
                charged_on=date(2026, 7, 2),
            ),
            # Sale on £2,000: at most £110 + £37.50 = £147.50; £200 is above the scale.
            FeeCharged(
                case_reference=case,
                stage=FeeStage.SALE_OR_DISPOSAL,
                amount_pence=200_00,
                charged_on=date(2026, 6, 20),
            ),
        ]
    )
    response = await http.post(f"/agents/{AGENT}/poll-now")
    assert [f["outcome"] for f in response.json()["files"] if f["outcome"] != "duplicate"] == ["applied"]
    fees = {
        f["stage"]: f
        for f in await published("agents_gateway.fee.reported", "debt_id", str(referral.debt_id))
    }
    assert fees["enforcement"]["accepted"] is False
    assert "breathing space" in fees["enforcement"]["findings"][0]
    assert fees["sale_or_disposal"]["accepted"] is False
    assert "exceeds the scale maximum of £147.50" in fees["sale_or_disposal"]["findings"][0]
    flagged = await fetch_value(
        "SELECT count(*) FROM agents_gateway.agent_fee WHERE referral_id = $1 AND NOT accepted",
        referral.referral_id,
    )
    assert flagged == 2


async def test_the_end_of_a_breathing_space_lifts_the_hold_at_once_and_is_confirmed(gateway, http, agent):
    referral = await a_council_tax_referral()
    case = str(referral.referral_id)
    await placed_with_the_agent(http, agent, referral)
    moratorium = f"BS-{uuid4().hex[:10]}"
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=moratorium,
            hold_version=1,
            kind="standard",
            starts_on=date(2026, 6, 5),
            expected_end_on=date(2026, 8, 4),
            customer_ids=list(referral.customer_ids),
            debt_ids=[referral.debt_id],
        )
    )
    await records_arriving(agent, case, "hold")
    await publish(
        BreathingSpaceHoldEnded(
            moratorium_reference=moratorium,
            hold_version=2,
            how="cancelled",
            last_protected_day=date(2026, 6, 20),
            debt_ids=[referral.debt_id],
        )
    )
    await records_arriving(agent, case, "hold_lifted")
    confirmations = await eventually(
        lambda: published(
            "agents_gateway.breathing_space_hold.confirmed", "moratorium_reference", moratorium
        ),
        lambda found: len(found) == 2,
    )
    assert sorted(c["hold_version"] for c in confirmations) == [1, 2]
    assert await fetch_value(
        "SELECT ends_on FROM agents_gateway.breathing_space_period WHERE moratorium_reference = $1",
        moratorium,
    ) == date(2026, 6, 20)


async def test_the_end_of_a_breathing_space_with_nothing_placed_is_confirmed_at_once(gateway):
    moratorium = f"BS-{uuid4().hex[:10]}"
    await publish(
        BreathingSpaceHoldEnded(
            moratorium_reference=moratorium,
            hold_version=4,
            how="expired",
            last_protected_day=date(2026, 8, 4),
            debt_ids=[uuid4()],
        )
    )
    [confirmation] = await eventually(
        lambda: published(
            "agents_gateway.breathing_space_hold.confirmed", "moratorium_reference", moratorium
        ),
        lambda found: len(found) == 1,
    )
    assert confirmation["hold_version"] == 4
