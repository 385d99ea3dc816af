"""The write-off service's HTTP API: schedules awaiting a decision."""

from __future__ import annotations

from typing import Any

from services.workbench.clients.calls import ServiceClient


class WriteOffApi:
    """What the workbench asks the write-off service."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def schedules_awaiting_decision(self) -> list[dict[str, Any]]:
        """The council's schedules waiting for a signature or a committee (without their lines)."""
        return list(await self.client.get("/api/schedules", status="awaiting_decision"))
