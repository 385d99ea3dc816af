"""Breathing space holds go at once to every agent holding a covered debt and are confirmed once sent (or at once
when no agent holds one); a recall withdraws an unsent placement or tells the agent. In-memory stores only."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from services.agents_gateway.breathing_space_holds import hold_for_breathing_space, lift_breathing_space_hold
from services.agents_gateway.domain.records import Hold, HoldReason
from services.agents_gateway.recalls import recall_case
from services.agents_gateway.stores.placements import Placement
from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold
from shared.contracts.breathing_space import BreathingSpaceHoldEnded, BreathingSpaceHoldStarted
from shared.contracts.recovery import RecallRequested
from tests.unit.agents_gateway.in_memory_stores import InMemoryGateway


def placed(gateway: InMemoryGateway, status: str = "acknowledged", agent: str = "BRISTOW") -> Placement:
    referral_id = uuid4()
    placement = Placement(
        referral_id=referral_id,
        case_reference=str(referral_id),
        case_id=uuid4(),
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        agent_code=agent,
        debt_type="council_tax",
        agency_kind="enforcement_agent",
        balance_pence=500_00,
        referred_on=date(2026, 5, 1),
        status=status,
    )
    gateway.placements.rows[referral_id] = placement
    return placement


def hold_started(*debt_ids: UUID, kind: str = "standard") -> BreathingSpaceHoldStarted:
    return BreathingSpaceHoldStarted(
        moratorium_reference="BS-1",
        hold_version=1,
        kind=kind,
        starts_on=date(2026, 6, 1),
        expected_end_on=date(2026, 7, 31),
        customer_ids=[uuid4()],
        debt_ids=list(debt_ids),
    )


async def test_a_hold_goes_at_once_to_the_agent_holding_the_debt_and_waits_to_be_confirmed() -> None:
    gateway = InMemoryGateway()
    with_agent = placed(gateway)
    not_sent_yet = placed(gateway, status="awaiting_file")

    await hold_for_breathing_space(hold_started(with_agent.debt_id, not_sent_yet.debt_id), gateway.handling)

    [hold] = gateway.instructions.queued
    assert hold.urgent and hold.agent_code == "BRISTOW" and hold.referral_id == with_agent.referral_id
    assert hold.record.kind == "hold" and hold.moratorium_reference == "BS-1" and hold.hold_version == 1
    assert gateway.breathing_spaces.awaiting == {("BS-1", 1): [with_agent.debt_id, not_sent_yet.debt_id]}
    assert gateway.published.messages == []  # confirmed by the sender once the hold file is uploaded
    assert ("BS-1", not_sent_yet.debt_id) in gateway.breathing_spaces.periods  # so it is not placed meanwhile


async def test_a_mental_health_crisis_hold_says_so_to_the_agent() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway)

    await hold_for_breathing_space(
        hold_started(placement.debt_id, kind="mental_health_crisis"), gateway.handling
    )

    [hold] = gateway.instructions.queued
    assert isinstance(hold.record, Hold)
    assert hold.record.reason is HoldReason.MENTAL_HEALTH_CRISIS_BREATHING_SPACE


async def test_a_hold_covering_no_placed_debt_is_confirmed_at_once() -> None:
    gateway = InMemoryGateway()
    debt_id = uuid4()

    await hold_for_breathing_space(hold_started(debt_id), gateway.handling)

    assert gateway.instructions.queued == []
    [confirmed] = gateway.published.messages
    assert confirmed == AgentsGatewayConfirmedHold(
        moratorium_reference="BS-1", hold_version=1, confirmed_debt_ids=[debt_id]
    )


async def test_the_end_of_a_breathing_space_lifts_the_hold_only_where_one_was_sent() -> None:
    gateway = InMemoryGateway()
    held = placed(gateway)
    await hold_for_breathing_space(hold_started(held.debt_id), gateway.handling)
    never_held = placed(gateway)

    await lift_breathing_space_hold(
        BreathingSpaceHoldEnded(
            moratorium_reference="BS-1",
            hold_version=2,
            how="expired",
            last_protected_day=date(2026, 7, 31),
            debt_ids=[held.debt_id, never_held.debt_id],
        ),
        gateway.handling,
    )

    lifted = [i for i in gateway.instructions.queued if i.record.kind == "hold_lifted"]
    assert [(i.referral_id, i.urgent, i.hold_version) for i in lifted] == [(held.referral_id, True, 2)]
    assert gateway.breathing_spaces.periods[("BS-1", held.debt_id)]["ends_on"] == date(2026, 7, 31)


async def test_recalling_an_unsent_placement_withdraws_it_and_tells_no_agent() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway, status="awaiting_file")

    await recall_case(a_recall(placement, immediate=True), gateway.handling)

    assert gateway.placements.rows[placement.referral_id].status == "withdrawn"
    assert gateway.instructions.queued == []


async def test_an_immediate_recall_of_a_placed_case_goes_to_the_agent_at_once() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway, status="sent")

    await recall_case(a_recall(placement, immediate=True), gateway.handling)

    recalled = gateway.placements.rows[placement.referral_id]
    assert recalled.status == "recalled" and recalled.recalled_on == date(2026, 6, 2)
    [recall] = gateway.instructions.queued
    assert recall.record.kind == "recall" and recall.urgent and recall.agent_code == "BRISTOW"


def a_recall(placement: Placement, *, immediate: bool) -> RecallRequested:
    return RecallRequested(
        referral_id=placement.referral_id,
        case_id=placement.case_id,
        debt_id=placement.debt_id,
        reason="breathing space",
        immediate=immediate,
        requested_on=date(2026, 6, 2),
    )
