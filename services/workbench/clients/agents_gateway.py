"""The agents gateway's HTTP API: placements with agents, and files quarantined on arrival."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.workbench.clients.calls import ServiceClient


class AgentsGatewayApi:
    """What the workbench asks the agents gateway."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def placement(self, referral_id: UUID) -> dict[str, Any]:
        """Where one placement with an agent stands."""
        found: dict[str, Any] = await self.client.get(f"/placements/{referral_id}")
        return found

    async def quarantined_files(self) -> list[dict[str, Any]]:
        """Agent files refused whole, newest first, with every problem."""
        return list(await self.client.get("/quarantine"))

    async def resolve_quarantined_file(self, file_id: int, resolution: str) -> None:
        """Close the alert for one quarantined file with what was done about it."""
        await self.client.post(f"/quarantine/{file_id}/resolve", {"resolution": resolution})
