"""A breathing space hold on a placed debt follows the debt's scope (Debt Respite Scheme (Breathing Space Moratorium
and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020): the placed sums are moratorium debts
(reg 6), so enforcement of the placed debt stops entirely (reg 7); the agent is told the moratorium amount, any
ongoing liabilities in the placed balance and what the council lets it do about those (by default nothing, as the
creditor guidance expects of agents). Domain rule, and the handler on in-memory stores."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from uuid import uuid4

from services.agents_gateway.breathing_space_holds import hold_added_debts, hold_for_breathing_space
from services.agents_gateway.domain.agent_registry import parse_agent_registry
from services.agents_gateway.domain.breathing_space_scope import (
    DebtScope,
    OngoingLiabilitiesOnPlacedDebts,
    placement_hold_scope,
)
from services.agents_gateway.domain.file_format import (
    FORMAT_VERSION,
    HOLD_SCOPE_VERSION,
    FileHeader,
    FileKind,
    build_agent_file,
    fields_unknown_in,
)
from services.agents_gateway.domain.records import Hold, HoldReason, OngoingLiabilitiesAction
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldStarted,
    HeldDebtScope,
)
from tests.unit.agents_gateway.in_memory_stores import REGISTRY, InMemoryGateway
from tests.unit.agents_gateway.test_holds_and_recalls_handlers import placed

START = date(2026, 6, 1)
PERMISSIVE = OngoingLiabilitiesOnPlacedDebts.COLLECTION_WITHOUT_ENFORCEMENT


# ---- the rule ---------------------------------------------------------------------------------------------------


def test_reg_6_a_placed_debt_with_no_ongoing_liabilities_is_a_moratorium_debt_whole() -> None:
    hold = placement_hold_scope(500_00, DebtScope(protected_up_to=START))

    assert hold.moratorium_pence == 500_00 and hold.ongoing_liabilities_pence == 0
    assert hold.ongoing_liabilities_action is OngoingLiabilitiesAction.STOP
    assert hold.protected_up_to == START


def test_reg_7_a_hold_without_scope_protects_the_whole_placed_debt() -> None:
    hold = placement_hold_scope(500_00, None, PERMISSIVE)

    assert hold.moratorium_pence == 500_00 and hold.ongoing_liabilities_pence == 0
    assert hold.ongoing_liabilities_action is OngoingLiabilitiesAction.STOP
    assert hold.protected_up_to is None


def test_ongoing_liabilities_in_the_placed_balance_are_told_apart_from_the_moratorium_debt() -> None:
    scope = DebtScope(START, ongoing_liabilities_pence=150_00, ongoing_from=date(2026, 7, 1))

    hold = placement_hold_scope(500_00, scope)

    assert (hold.moratorium_pence, hold.ongoing_liabilities_pence) == (350_00, 150_00)
    assert hold.ongoing_liabilities_from == date(2026, 7, 1)


def test_by_default_the_agent_does_nothing_about_ongoing_liabilities_as_the_creditor_guidance_expects() -> (
    None
):
    scope = DebtScope(START, ongoing_liabilities_pence=150_00, ongoing_from=date(2026, 7, 1))

    assert placement_hold_scope(500_00, scope).ongoing_liabilities_action is OngoingLiabilitiesAction.STOP


def test_a_council_may_let_the_agent_collect_ongoing_liabilities_without_enforcement_as_reg_7_allows() -> (
    None
):
    scope = DebtScope(START, ongoing_liabilities_pence=150_00, ongoing_from=date(2026, 7, 1))

    hold = placement_hold_scope(500_00, scope, PERMISSIVE)

    assert hold.ongoing_liabilities_action is OngoingLiabilitiesAction.COLLECT_WITHOUT_ENFORCEMENT
    assert hold.moratorium_pence == 350_00  # still no action at all on the moratorium debt


def test_ongoing_liabilities_are_never_more_than_what_is_placed() -> None:
    """Payments go to the earliest instalments first, so the ongoing sums are the last of the balance."""
    scope = DebtScope(START, ongoing_liabilities_pence=800_00, ongoing_from=date(2026, 7, 1))

    hold = placement_hold_scope(500_00, scope, PERMISSIVE)

    assert (hold.moratorium_pence, hold.ongoing_liabilities_pence) == (0, 500_00)


def test_with_no_ongoing_liabilities_the_councils_permission_changes_nothing() -> None:
    hold = placement_hold_scope(500_00, DebtScope(START), PERMISSIVE)

    assert hold.ongoing_liabilities_action is OngoingLiabilitiesAction.STOP
    assert hold.ongoing_liabilities_from is None


def test_the_councils_policy_is_read_from_its_registry_and_defaults_to_the_guidance() -> None:
    environ = {"PW": "pw", "KEY": "key"}

    assert (
        parse_agent_registry(REGISTRY, environ).ongoing_liabilities_in_breathing_space
        is OngoingLiabilitiesOnPlacedDebts.STOPPED
    )
    permissive = "ongoing_liabilities_in_breathing_space: collection_without_enforcement\n" + REGISTRY
    assert parse_agent_registry(permissive, environ).ongoing_liabilities_in_breathing_space is PERMISSIVE


# ---- the handler ------------------------------------------------------------------------------------------------


def started(debt_id: object, scope: list[HeldDebtScope]) -> BreathingSpaceHoldStarted:
    return BreathingSpaceHoldStarted(
        moratorium_reference="BS-1",
        hold_version=1,
        kind="standard",
        starts_on=START,
        expected_end_on=date(2026, 7, 31),
        customer_ids=[uuid4()],
        debt_ids=[debt_id],
        scope=scope,
    )


async def test_the_hold_sent_to_the_agent_carries_the_moratorium_amount_and_ongoing_liabilities() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway)  # £500 placed
    scope = HeldDebtScope(
        debt_id=placement.debt_id,
        protected_up_to=START,
        ongoing_liabilities_pence=120_00,
        ongoing_from=date(2026, 7, 1),
    )

    await hold_for_breathing_space(started(placement.debt_id, [scope]), gateway.handling)

    [instruction] = gateway.instructions.queued
    hold = instruction.record
    assert isinstance(hold, Hold)
    assert (hold.moratorium_pence, hold.ongoing_liabilities_pence) == (380_00, 120_00)
    assert hold.ongoing_liabilities_from == date(2026, 7, 1) and hold.protected_up_to == START
    assert hold.ongoing_liabilities_action is OngoingLiabilitiesAction.STOP


async def test_a_council_letting_agents_collect_ongoing_liabilities_says_so_in_the_hold() -> None:
    gateway = InMemoryGateway()
    handling = gateway.handling
    handling.service.agents.use(
        parse_agent_registry(
            "ongoing_liabilities_in_breathing_space: collection_without_enforcement\n" + REGISTRY,
            {"PW": "pw", "KEY": "key"},
        )
    )
    placement = placed(gateway)
    scope = HeldDebtScope(
        debt_id=placement.debt_id,
        protected_up_to=START,
        ongoing_liabilities_pence=120_00,
        ongoing_from=date(2026, 7, 1),
    )

    await hold_added_debts(
        BreathingSpaceDebtsAdded(
            moratorium_reference="BS-1",
            hold_version=2,
            starts_on=START,
            debt_ids=[placement.debt_id],
            scope=[scope],
        ),
        handling,
    )

    [instruction] = gateway.instructions.queued
    assert isinstance(instruction.record, Hold)
    assert (
        instruction.record.ongoing_liabilities_action is OngoingLiabilitiesAction.COLLECT_WITHOUT_ENFORCEMENT
    )


async def test_a_hold_without_scope_tells_the_agent_the_whole_placed_balance_is_in_the_moratorium() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway)

    await hold_for_breathing_space(started(placement.debt_id, []), gateway.handling)

    [instruction] = gateway.instructions.queued
    assert isinstance(instruction.record, Hold)
    assert instruction.record.moratorium_pence == 500_00
    assert instruction.record.ongoing_liabilities_pence == 0


# ---- the file format ----------------------------------------------------------------------------------------------


def _scoped_hold() -> Hold:
    return Hold(
        case_reference="CASE-1",
        reason=HoldReason.BREATHING_SPACE,
        starts_on=START,
        protected_up_to=START,
        moratorium_pence=380_00,
        ongoing_liabilities_pence=120_00,
        ongoing_liabilities_from=date(2026, 7, 1),
        ongoing_liabilities_action=OngoingLiabilitiesAction.STOP,
    )


def _hold_line(version: str) -> dict[str, object]:
    built = build_agent_file(
        FileHeader(
            format_version=version,
            file_kind=FileKind.COUNCIL_INSTRUCTIONS,
            agent="BRISTOW",
            council="derby",
            sequence=1,
            created_at=datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
        ),
        [_scoped_hold()],
    )
    line: dict[str, object] = json.loads(built.splitlines()[1])
    return line


def test_an_agent_on_format_1_1_is_told_the_scope_of_the_hold() -> None:
    line = _hold_line(HOLD_SCOPE_VERSION)

    assert line["moratorium_pence"] == 380_00 and line["ongoing_liabilities_pence"] == 120_00
    assert line["protected_up_to"] == "2026-06-01" and line["ongoing_liabilities_action"] == "stop"


def test_an_agent_on_format_1_0_gets_the_hold_without_fields_it_would_refuse() -> None:
    """Format 1.0 refuses unknown fields, so the hold it gets is the 1.0 hold: stop everything on the case."""
    line = _hold_line(FORMAT_VERSION)

    assert set(line) == {"kind", "case_reference", "reason", "starts_on"}
    assert set(line) & fields_unknown_in(FORMAT_VERSION, "hold") == set()
