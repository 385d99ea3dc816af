"""A refused referral goes only where the law lets it: an enforcement agent needs the order or judgment behind
the debt, so without one the officer's choice is a collection agency whose contract covers the debt type (or
back to recovery); the tray says how many wait and for how long."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.agents_gateway.domain.agent_registry import parse_agent_registry
from services.agents_gateway.domain.records import PlacedDebt
from services.agents_gateway.domain.refused_placements import (
    CannotRedirect,
    agent_to_redirect_to,
    lawful_alternatives,
)
from services.agents_gateway.domain.trays import hours_waiting
from tests.unit.agents_gateway.in_memory_stores import REGISTRY

AGENTS = parse_agent_registry(REGISTRY, {"PW": "sftp-password", "KEY": "council-key"}).agents


def a_sundry_debt(*, judgment: bool = False) -> PlacedDebt:
    debt: dict[str, object] = {"debt_reference": "D-1", "debt_type": "sundry", "balance_pence": 420_00}
    if judgment:
        debt["judgment"] = {
            "court": "Derby County Court",
            "claim_number": "K1QZ1234",
            "judgment_on": date(2026, 4, 2),
            "amount_pence": 420_00,
        }
    return PlacedDebt.model_validate(debt)


def test_a_sundry_debt_without_a_judgment_may_go_only_to_a_collection_agency_taking_sundry_debts() -> None:
    assert [agent.code for agent in lawful_alternatives(a_sundry_debt(), AGENTS)] == ["COLLECTCO"]


def test_redirecting_without_naming_an_agent_picks_the_lawful_collection_agency() -> None:
    assert agent_to_redirect_to(a_sundry_debt(), AGENTS, {}).code == "COLLECTCO"


def test_an_officer_cannot_redirect_to_an_enforcement_agent_without_the_judgment() -> None:
    with pytest.raises(CannotRedirect, match="county court judgment"):
        agent_to_redirect_to(a_sundry_debt(), AGENTS, {}, asked_for="BRISTOW")


def test_with_its_judgment_the_officer_may_name_the_enforcement_agent() -> None:
    assert (
        agent_to_redirect_to(a_sundry_debt(judgment=True), AGENTS, {}, asked_for="BRISTOW").code == "BRISTOW"
    )


def test_an_agency_whose_contract_does_not_cover_the_type_cannot_take_it() -> None:
    council_tax = PlacedDebt.model_validate(
        {
            "debt_reference": "D-2",
            "debt_type": "council_tax",
            "balance_pence": 300_00,
            "liability_order": {
                "court": "Derby Magistrates' Court",
                "granted_on": date(2026, 4, 20),
                "order_reference": "LO-1",
                "amount_pence": 300_00,
            },
        }
    )
    with pytest.raises(CannotRedirect, match="no collection agency in the registry takes council_tax debts"):
        agent_to_redirect_to(council_tax, AGENTS, {})
    with pytest.raises(CannotRedirect, match="COLLECTCO does not take council_tax"):
        agent_to_redirect_to(council_tax, AGENTS, {}, asked_for="COLLECTCO")


def test_an_agent_not_in_the_registry_is_refused() -> None:
    with pytest.raises(CannotRedirect, match="no agent NOBODY in the registry"):
        agent_to_redirect_to(a_sundry_debt(), AGENTS, {}, asked_for="NOBODY")


def test_a_tray_item_is_aged_in_hours_since_it_arrived() -> None:
    now = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
    assert hours_waiting(datetime(2026, 6, 2, 9, 30, tzinfo=UTC), now) == 26.5
    assert hours_waiting(datetime(2026, 6, 3, 12, 5, tzinfo=UTC), now) == 0.0  # a clock a moment ahead
    assert hours_waiting(None, now) is None  # an empty tray has no oldest item
