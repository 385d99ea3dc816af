"""Which placements an agent may take."""

from __future__ import annotations

from datetime import date

from pydantic import SecretStr

from services.agents_gateway.domain.agent_registry import Agent, AgentKind, OpenPgpKeys, SftpEndpoint
from services.agents_gateway.domain.debt_types import DebtType
from services.agents_gateway.domain.placement_rules import reasons_placement_cannot_go_to
from services.agents_gateway.domain.records import Judgment, PlacedDebt

from .conftest import council_tax_placement


def _agent(kind: AgentKind, debt_types: set[DebtType]) -> Agent:
    return Agent(
        code="BRISTOW",
        name="Bristow",
        kind=kind,
        debt_types=frozenset(debt_types),
        sftp=SftpEndpoint(host="h", username="u", password=SecretStr("p"), host_key="ssh-ed25519 AAAA"),
        keys=OpenPgpKeys(our_private_key=SecretStr("k"), agent_public_key=SecretStr("k")),
    )


def test_a_council_tax_case_goes_to_an_enforcement_agent_taking_council_tax() -> None:
    agent = _agent(AgentKind.ENFORCEMENT_AGENT, {DebtType.COUNCIL_TAX})
    assert reasons_placement_cannot_go_to(council_tax_placement("CT-1"), agent) == []


def test_an_agent_is_not_sent_a_debt_type_outside_its_contract() -> None:
    agent = _agent(AgentKind.ENFORCEMENT_AGENT, {DebtType.BUSINESS_RATES})
    reasons = reasons_placement_cannot_go_to(council_tax_placement("CT-1"), agent)
    assert len(reasons) == 1 and "council_tax" in reasons[0]


def test_a_sundry_debt_needs_a_judgment_for_an_enforcement_agent_but_not_a_collection_agency() -> None:
    sundry = PlacedDebt(debt_reference="INV-1", debt_type=DebtType.SUNDRY, balance_pence=500_00)
    placement = council_tax_placement("SD-1").model_copy(update={"debts": [sundry]})
    enforcement = _agent(AgentKind.ENFORCEMENT_AGENT, {DebtType.SUNDRY})
    agency = _agent(AgentKind.COLLECTION_AGENCY, {DebtType.SUNDRY})
    assert any("judgment" in reason for reason in reasons_placement_cannot_go_to(placement, enforcement))
    assert reasons_placement_cannot_go_to(placement, agency) == []
    judged = sundry.model_copy(
        update={
            "judgment": Judgment(
                court="Derby CC", claim_number="K1", judgment_on=date(2024, 1, 1), amount_pence=500_00
            )
        }
    )
    assert reasons_placement_cannot_go_to(placement.model_copy(update={"debts": [judged]}), enforcement) == []
