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

    async def placements_of_customer(self, customer_id: UUID) -> list[dict[str, Any]]:
        """Every placement of the customer's debts with agents, whatever its status, the latest referred first."""
        return list(await self.client.get("/placements", customer_id=str(customer_id)))

    async def quarantined_files(self) -> list[dict[str, Any]]:
        """Agent files refused whole, newest first, with every problem."""
        return list(await self.client.get("/quarantine"))

    async def resolve_quarantined_file(self, file_id: int, resolution: str) -> None:
        """Close the alert for one quarantined file with what was done about it."""
        await self.client.post(f"/quarantine/{file_id}/resolve", {"resolution": resolution})

    async def refused_placements(self) -> dict[str, Any]:
        """Referrals no agent may lawfully take, waiting for an officer: count, oldest age and each item."""
        found: dict[str, Any] = await self.client.get("/placements/refused")
        return found

    async def redirect_refused_placement(self, referral_id: UUID, agent: str | None, reason: str) -> None:
        """Send a refused referral to an agent that may lawfully take it (none named: the gateway chooses)."""
        await self.client.post(
            f"/placements/{referral_id}/redirect", {"agent": agent, "reason": reason or None}
        )

    async def return_refused_placement(self, referral_id: UUID, reason: str) -> None:
        """Give a refused referral back to recovery, which takes its policy's next step."""
        await self.client.post(f"/placements/{referral_id}/return-to-recovery", {"reason": reason})
