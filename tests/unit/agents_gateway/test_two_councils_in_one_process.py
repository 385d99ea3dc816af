"""Two gateways bootstrapped in one process for two councils, each with its own registry of agents, each place a
referral by its own registry: Derby has a collection agency for sundry debts, Leicester none, so the same referral
is placed in Derby and refused in Leicester. Handlers run on in-memory stores (no broker, no database)."""

from __future__ import annotations

from pathlib import Path

from services.agents_gateway.bootstrap import bootstrap
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.referrals import place_referred_case
from shared.contracts.agents_gateway import PlacementRefused
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling
from tests.unit.agents_gateway.in_memory_stores import InMemoryGateway
from tests.unit.agents_gateway.test_placing_referred_cases import a_referral

REGISTRY = """
council: {council}
agents:
  - code: {code}
    name: {name}
    kind: {kind}
    debt_types: [{debt_types}]
    sftp: {{host: sftp.example, username: council, password: {{file: sftp.password}}, host_key: "ssh-ed25519 AAAA"}}
    keys: {{our_private_key: {{file: council.key}}, agent_public_key: {{inline: agent-key}}}}
"""


def council_gateway(folder: Path, council: str, code: str, kind: str, debt_types: str) -> AgentsGateway:
    folder.mkdir()
    (folder / "sftp.password").write_text("password", encoding="utf-8")
    (folder / "council.key").write_text("council key", encoding="utf-8")
    registry = folder / f"{council}_agents.yaml"
    registry.write_text(
        REGISTRY.format(council=council, code=code, name=code.title(), kind=kind, debt_types=debt_types),
        encoding="utf-8",
    )
    return bootstrap(registry_path=registry, secrets_dir=folder, generate_development_keys=False)


async def test_each_council_places_by_its_own_registry(tmp_path: Path) -> None:
    derby = council_gateway(tmp_path / "derby", "derby", "COLLECTCO", "collection_agency", "sundry")
    leicester = council_gateway(
        tmp_path / "leicester", "leicester", "BAILIFFS", "enforcement_agent", "council_tax"
    )
    referral = a_referral("sundry", "collection_agency", liability_order=False)

    outcomes = {}
    for gateway in (derby, leicester):
        memory = InMemoryGateway()
        published = CollectedEvents()
        await place_referred_case(referral, Handling(memory.handling.stores, published, gateway))
        outcomes[gateway.agents.registry.council] = (memory.placements.rows[referral.referral_id], published)

    derby_placement, derby_events = outcomes["derby"]
    assert derby_placement.status == "awaiting_file" and derby_placement.agent_code == "COLLECTCO"
    assert derby_events.messages == []
    leicester_placement, leicester_events = outcomes["leicester"]
    assert leicester_placement.status == "refused" and leicester_placement.agent_code is None
    [refused] = leicester_events.of_type(PlacementRefused)
    assert isinstance(refused, PlacementRefused)
    assert refused.reasons == ["no collection_agency in the registry takes sundry debts"]
