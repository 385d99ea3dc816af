"""Every service's dead-letter tray (shared/dead_letter_endpoints.py): listing is for the operations team and
auditors; replaying and discarding for the operations team, each service recording who settled it from the
token and why from the reason given."""

from __future__ import annotations

from typing import Any

from services.workbench.clients.calls import ServiceClient

SETTLEMENTS = ("replay", "discard")
"""How a dead letter is settled: replayed to the queue it came from, or discarded (no action needed)."""


class DeadLettersApi:
    """What the workbench asks one service about its dead letters."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    @property
    def service(self) -> str:
        """The service's name, as the officer reads it."""
        return self.client.service

    async def tray(self, *, include_settled: bool = False) -> dict[str, Any]:
        """How many wait, the oldest's age in seconds, and each dead letter (without its body)."""
        found: dict[str, Any] = await self.client.get("/dead-letters", include_settled=include_settled)
        return found

    async def message(self, dead_letter_id: int) -> str:
        """The message as it arrived (personal data: the operations team only), as text."""
        body, _ = await self.client.get_bytes(f"/dead-letters/{dead_letter_id}/message")
        return body.decode("utf-8", errors="replace")

    async def settle(self, settlement: str, dead_letter_id: int, reason: str) -> dict[str, Any]:
        """Replay or discard one dead letter, with why (the fix made, or why no action is needed)."""
        if settlement not in SETTLEMENTS:
            raise ValueError(f"a dead letter is replayed or discarded, not {settlement!r}")
        settled: dict[str, Any] = await self.client.post(
            f"/dead-letters/{settlement}", {"ids": [dead_letter_id], "reason": reason}
        )
        return settled
