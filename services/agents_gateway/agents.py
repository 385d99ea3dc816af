"""The agents the council works with, as the running gateway knows them: the registry, loaded once.

The registry is read from the YAML file named in settings, with its secrets. For the development registry the
missing development keys are generated first (see development_keys.py). Tests and tools may `use` another
registry (e.g. one pointing at an SFTP server started in the test).
"""

from __future__ import annotations

import os

import structlog
import yaml

from services.agents_gateway.development_keys import ensure_development_keys
from services.agents_gateway.domain.agent_registry import Agent, AgentRegistry, load_agent_registry
from services.agents_gateway.domain.debt_types import DebtType
from services.agents_gateway.settings import AgentsGatewaySettings

log = structlog.get_logger("agents_gateway.agents")


class AgentDirectory:
    """The registry in use, loaded on first need."""

    def __init__(self, settings: AgentsGatewaySettings) -> None:
        self.settings = settings
        self._registry: AgentRegistry | None = None

    @property
    def registry(self) -> AgentRegistry:
        """The council's registry of agents (loaded, with its secrets, on first use)."""
        if self._registry is None:
            self._registry = self._load()
        return self._registry

    def use(self, registry: AgentRegistry) -> None:
        """Replace the registry (tests pointing at their own SFTP server; a reload after a key rotation)."""
        self._registry = registry

    def agent(self, code: str) -> Agent:
        """The agent with this code (KeyError when the council has none)."""
        return self.registry.agent(code)

    def choose_for(self, debt_type: str, agency_kind: str, open_cases: dict[str, int]) -> Agent | None:
        """The agent to place a debt with: one of the kind asked for whose contract covers the debt type, the
        one with fewest open cases (so work is shared), registry order breaking ties. None when no agent fits."""
        try:
            wanted = DebtType(debt_type)
        except ValueError:
            return None
        candidates = [
            agent for agent in self.registry.agents_taking(wanted) if agent.kind.value == agency_kind
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda agent: open_cases.get(agent.code, 0))

    def _load(self) -> AgentRegistry:
        path = self.settings.registry_path
        secrets_dir = self.settings.secrets_dir
        if (
            self.settings.generate_development_keys
            and secrets_dir is not None
            and path.name.startswith("development")
        ):
            codes = [entry["code"] for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["agents"]]
            ensure_development_keys(secrets_dir, codes)
        registry = load_agent_registry(path, os.environ, secrets_dir=secrets_dir)
        log.info("agent registry loaded", council=registry.council, agents=[a.code for a in registry.agents])
        return registry
