"""The running gateway: its service runtime, its settings and the registry of agents it works with.

Every part of the gateway imports these from here; `service.py` puts the parts together.
"""

from services.agents_gateway.agents import AgentDirectory
from services.agents_gateway.settings import gateway_settings
from shared.contracts.agents_gateway import (
    AgentFileQuarantined,
    AgentsGatewayConfirmedHold,
    AgentStatusUpdated,
    CaseReturnedByAgent,
    FeeReported,
    PaymentCollectedByAgent,
    PlacementAcknowledged,
    PlacementRejected,
    VulnerabilityReferred,
)
from shared.runtime import ServiceRuntime

runtime = ServiceRuntime(
    "agents_gateway",
    description="Placements, amendments, holds and recalls to enforcement agents and collection agencies over "
    "SFTP with OpenPGP; agents' returns applied whole or quarantined.",
)
runtime.document_publication(
    PlacementAcknowledged,
    PlacementRejected,
    PaymentCollectedByAgent,
    FeeReported,
    AgentStatusUpdated,
    VulnerabilityReferred,
    CaseReturnedByAgent,
    AgentFileQuarantined,
    AgentsGatewayConfirmedHold,
)
settings = gateway_settings()
agents = AgentDirectory(settings)
