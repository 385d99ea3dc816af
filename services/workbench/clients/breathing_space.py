"""Breathing space's HTTP API: the central debt team's status (pending matches, unconfirmed holds, open
moratoria), one moratorium, a customer's moratoria, and an officer's match decisions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.workbench.clients.calls import ServiceClient


class BreathingSpaceApi:
    """What the workbench asks breathing space."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def status(self) -> dict[str, Any]:
        """Open moratoria, pending matches, unconfirmed holds and what was reported back."""
        found: dict[str, Any] = await self.client.get("/status")
        return found

    async def moratorium(self, reference: str) -> dict[str, Any]:
        """One moratorium: its period, match, held debts and notifications."""
        found: dict[str, Any] = await self.client.get(f"/moratoria/{reference}")
        return found

    async def customer_moratoria(self, customer_id: UUID) -> list[dict[str, Any]]:
        """Every moratorium matched to the customer or holding a debt they are liable for, newest start first:
        type, start, expected end, status, whether it is theirs, and the debts it holds."""
        found = await self.client.get(f"/customers/{customer_id}/moratoria")
        return list(found["moratoria"])

    async def confirm_match(self, reference: str, customer_ids: list[UUID]) -> None:
        """These candidates are the person in breathing space: every debt they owe is held."""
        await self.client.post(
            f"/pending-matches/{reference}/confirm", {"customer_ids": [str(c) for c in customer_ids]}
        )

    async def reject_match(self, reference: str, reason: str) -> None:
        """No candidate is the debtor: only the notified debts stay held."""
        await self.client.post(f"/pending-matches/{reference}/reject", {"reason": reason})
