"""The agents gateway put together: settings, the registry of agents, the runtime, every inbox handler, the
background work and the HTTP app. `python -m services.agents_gateway` and the tests call `bootstrap()`; nothing is
built at import, so two gateways with different settings (or registries) can live in one process.
"""

from __future__ import annotations

from typing import Any

from services.agents_gateway import amendments, breathing_space_holds, debtors, recalls, referrals
from services.agents_gateway.agents import AgentDirectory
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.http import gateway_app
from services.agents_gateway.schedule import background_work
from services.agents_gateway.settings import AgentsGatewaySettings
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.status import WORK_TRAYS
from shared.clock import clock
from shared.contracts.agents_gateway import (
    AgentFileQuarantined,
    AgentsGatewayConfirmedHold,
    AgentStatusUpdated,
    CaseReturnedByAgent,
    FeeReported,
    PaymentCollectedByAgent,
    PlacementAcknowledged,
    PlacementRedirected,
    PlacementRefused,
    PlacementRejected,
    VulnerabilityReferred,
)
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings

DESCRIPTION = (
    "Placements, amendments, holds and recalls to enforcement agents and collection agencies over SFTP with "
    "OpenPGP; agents' returns applied whole or quarantined."
)

ROUTERS = (referrals.router, recalls.router, amendments.router, breathing_space_holds.router, debtors.router)
"""Every part of the gateway that handles messages."""


def bootstrap(
    settings: AgentsGatewaySettings | None = None,
    *,
    platform: PlatformSettings | None = None,
    **overrides: Any,
) -> AgentsGateway:
    """A gateway ready to start: its settings (given, or read from the environment with `overrides`), its
    registry of agents (loaded on first need), its runtime with every handler, background task and route."""
    settings = settings or AgentsGatewaySettings(**overrides)
    runtime = ServiceRuntime("agents_gateway", description=DESCRIPTION, settings=platform)
    runtime.document_publication(
        PlacementAcknowledged,
        PlacementRejected,
        PlacementRefused,
        PlacementRedirected,
        PaymentCollectedByAgent,
        FeeReported,
        AgentStatusUpdated,
        VulnerabilityReferred,
        CaseReturnedByAgent,
        AgentFileQuarantined,
        AgentsGatewayConfirmedHold,
    )
    gateway = AgentsGateway(settings=settings, runtime=runtime, agents=AgentDirectory(settings), clock=clock)
    # Work waiting, on /metrics: quarantined files and refused placements awaiting an officer, rejection files
    # owed to agents, holds and recalls not yet with the agent.
    for tray, count_and_oldest_age in WORK_TRAYS.items():
        runtime.watch_tray(tray, count_and_oldest_age)
    for router in ROUTERS:
        runtime.include(router, stores=AgentsGatewayStores.on, service=gateway)
    runtime.background.extend(background_work(gateway))
    runtime.http_app = gateway_app(gateway)
    return gateway
