"""The development registry runs without any committed key: the missing keys are generated on first use and the
registry reads every secret from files, masked wherever it is printed."""

from __future__ import annotations

from pathlib import Path

from services.agents_gateway.agents import AgentDirectory
from services.agents_gateway.domain.debt_types import DebtType
from services.agents_gateway.settings import AgentsGatewaySettings

REGISTRY = Path(__file__).parents[3] / "services" / "agents_gateway" / "config" / "development_agents.yaml"


def test_the_development_registry_generates_its_keys_and_loads(tmp_path: Path) -> None:
    secrets_dir = tmp_path / "secrets"
    directory = AgentDirectory(AgentsGatewaySettings(registry_path=REGISTRY, secrets_dir=secrets_dir))
    registry = directory.registry
    assert [agent.code for agent in registry.agents] == ["BRISTOW", "COLLECTCO"]
    assert (
        (secrets_dir / "council_private.asc").read_text().startswith("-----BEGIN PGP PRIVATE KEY BLOCK-----")
    )
    bristow = registry.agent("BRISTOW")
    assert bristow.sftp.host_key.startswith("ssh-ed25519 ")
    assert "PRIVATE" not in repr(bristow) and "**********" in repr(bristow.keys.our_private_key)
    # Generated once: a second load uses the same keys.
    again = AgentDirectory(AgentsGatewaySettings(registry_path=REGISTRY, secrets_dir=secrets_dir)).registry
    assert again.agent("BRISTOW").keys.agent_public_key == bristow.keys.agent_public_key


def test_an_agent_is_chosen_by_kind_and_debt_type_sharing_the_work(tmp_path: Path) -> None:
    directory = AgentDirectory(
        AgentsGatewaySettings(registry_path=REGISTRY, secrets_dir=tmp_path / "secrets")
    )
    assert directory.choose_for(DebtType.COUNCIL_TAX, "enforcement_agent", {}).code == "BRISTOW"
    assert directory.choose_for(DebtType.SUNDRY, "collection_agency", {}).code == "COLLECTCO"
    assert directory.choose_for(DebtType.COUNCIL_TAX, "collection_agency", {}) is None
    assert directory.choose_for("not_a_debt_type", "enforcement_agent", {}) is None
