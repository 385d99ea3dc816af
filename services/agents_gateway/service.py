"""The agents gateway: secure file exchange with enforcement agents and collection agencies.

Placements, amendments, holds and recalls go out as signed and encrypted files over SFTP; agents' returns come
back the same way and are applied whole or quarantined whole.
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

# Registers the handlers, the background work and the HTTP app on the runtime.
from services.agents_gateway import (  # noqa: E402,F401
    amendments,
    breathing_space_holds,
    debtors,
    http,
    recalls,
    referrals,
    schedule,
)
