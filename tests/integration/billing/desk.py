"""Billing's HTTP API as an officer's desk reaches it: in-process, on the service's own app."""

from __future__ import annotations

import httpx


def officer_desk(billing, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """A client of billing's HTTP app, sending `headers` (an officer's or system's token) with every request."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=billing.runtime.http_app),
        base_url="http://billing",
        headers=headers or {},
    )
