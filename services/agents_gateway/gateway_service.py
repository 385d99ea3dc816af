"""What the gateway's handlers, file work and HTTP routes are given: the running service's dependencies.

Built by `bootstrap()`; nothing here is created at import, so two gateways differently configured can live in
one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from services.agents_gateway.agents import AgentDirectory
from services.agents_gateway.settings import AgentsGatewaySettings
from services.agents_gateway.stores import AgentsGatewayStores
from shared.clock import BusinessClock
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime


@dataclass(frozen=True)
class AgentsGateway:
    """One agents gateway: its settings, its runtime, the council's registry of agents and the business clock."""

    settings: AgentsGatewaySettings
    runtime: ServiceRuntime
    agents: AgentDirectory
    clock: BusinessClock


GatewayHandling: TypeAlias = Handling[AgentsGatewayStores, AgentsGateway]
"""What a handler of the gateway is given for one transaction."""


def gateway_router() -> InboxRouter[AgentsGatewayStores, AgentsGateway]:
    """A router for one part of the gateway's inbox handlers."""
    return InboxRouter[AgentsGatewayStores, AgentsGateway]()
