"""Every service the workbench calls, bound to one signed-in officer's access token."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from services.workbench.clients.agents_gateway import AgentsGatewayApi
from services.workbench.clients.billing import BillingApi
from services.workbench.clients.breathing_space import BreathingSpaceApi
from services.workbench.clients.calls import ServiceClient
from services.workbench.clients.dead_letters import DeadLettersApi
from services.workbench.clients.management_information import ManagementInformationApi
from services.workbench.clients.recovery import RecoveryApi
from services.workbench.clients.writeoff import WriteOffApi
from services.workbench.settings import WorkbenchSettings


@dataclass
class ServiceConnections:
    """One pooled HTTP client per service, for the life of the workbench process."""

    billing: httpx.AsyncClient
    recovery: httpx.AsyncClient
    breathing_space: httpx.AsyncClient
    agents_gateway: httpx.AsyncClient
    writeoff: httpx.AsyncClient

    @classmethod
    def to(cls, settings: WorkbenchSettings) -> ServiceConnections:
        """Clients on the base URLs the settings name."""

        def client(base_url: str) -> httpx.AsyncClient:
            return httpx.AsyncClient(base_url=base_url, timeout=settings.service_timeout_seconds)

        return cls(
            billing=client(settings.billing_url),
            recovery=client(settings.recovery_url),
            breathing_space=client(settings.breathing_space_url),
            agents_gateway=client(settings.agents_gateway_url),
            writeoff=client(settings.writeoff_url),
        )

    async def close(self) -> None:
        """Close every pooled connection."""
        for client in (self.billing, self.recovery, self.breathing_space, self.agents_gateway, self.writeoff):
            await client.aclose()


DEAD_LETTER_SERVICES = (
    ("billing", "billing", "billing"),
    ("recovery", "recovery", "recovery"),
    ("breathing-space", "breathing space", "breathing_space"),
    ("agents-gateway", "agents gateway", "agents_gateway"),
    ("write-off", "write-off", "writeoff"),
)
"""Every service with a dead-letter tray: its slug in the workbench's paths, its name, its connection."""


class Services:
    """The services as one officer calls them: their token on every request."""

    def __init__(self, connections: ServiceConnections, token: str) -> None:
        self.billing = BillingApi(ServiceClient("billing", connections.billing, token))
        self.management_information = ManagementInformationApi(
            ServiceClient("billing", connections.billing, token)
        )
        self.recovery = RecoveryApi(ServiceClient("recovery", connections.recovery, token))
        self.breathing_space = BreathingSpaceApi(
            ServiceClient("breathing space", connections.breathing_space, token)
        )
        self.agents_gateway = AgentsGatewayApi(
            ServiceClient("agents gateway", connections.agents_gateway, token)
        )
        self.writeoff = WriteOffApi(ServiceClient("write-off", connections.writeoff, token))
        self.dead_letters: dict[str, DeadLettersApi] = {
            slug: DeadLettersApi(ServiceClient(name, getattr(connections, attribute), token))
            for slug, name, attribute in DEAD_LETTER_SERVICES
        }
