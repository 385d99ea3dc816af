"""A relay running as a process of its own answers an orchestrator's probes and a scraper like a service does:
alive, ready while it relays with its database and broker answering, and its metrics for the monitoring role."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.council_bus import eventually
from tests.e2e.council_services import a_free_port
from tests.identity import system_headers

PROJECT = Path(__file__).resolve().parents[3]


async def test_a_relay_process_is_alive_ready_and_scraped() -> None:
    port = a_free_port()
    relay = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for in a thread
        [sys.executable, "-m", "deploy.cli", "relay", "recovery"],
        cwd=PROJECT,
        env={**os.environ, "HTTP_PORT": str(port), "LOG_LEVEL": "WARNING"},
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:

            async def ready() -> int:
                try:
                    return (await client.get("/readyz")).status_code
                except httpx.HTTPError:
                    return 0

            await eventually(ready, lambda status: status == 200, timeout=30)
            assert (await client.get("/healthz")).json() == {"status": "alive", "service": "recovery-relay"}
            assert (await client.get("/metrics")).status_code == 401
            scraped = await client.get("/metrics", headers=system_headers("monitoring"))
            assert scraped.status_code == 200
            assert "council_debt_relay_published_total" in scraped.text
        relay.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(relay.wait, 20) == 0
    finally:
        if relay.poll() is None:
            relay.kill()
