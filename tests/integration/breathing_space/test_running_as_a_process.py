"""The service as it runs in production: its own process, HTTP served by uvicorn, stopped cleanly by SIGTERM."""

from __future__ import annotations

import asyncio
import socket
from datetime import date

import httpx

from tests.identity import officer_headers
from tests.integration.breathing_space.conftest import SECRET
from tests.integration.breathing_space.council import a_moratorium_reference, a_person, notification, signed
from tests.service_processes import ServiceProcess


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_notification_pushed_to_the_running_process_is_taken_in_and_an_oversized_one_refused() -> (
    None
):
    port = _free_port()
    service = ServiceProcess(
        "breathing_space",
        HTTP_PORT=str(port),
        BUSINESS_DATE="2026-05-10",
        BREATHING_SPACE_SIGNING_SECRET=SECRET,
    ).start()
    try:
        moratorium = a_moratorium_reference()
        body = notification(
            "new_standard_breathing_space",
            moratorium,
            a_person(),
            [("CT-PROCESS-1", "council_tax", 100)],
            start_date=date(2026, 5, 4),
        )
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(100):  # uvicorn starts just after the consumers
                try:
                    await client.get("/health")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            accepted = await client.post("/notifications", content=body, headers=signed(body))
            assert accepted.status_code == 202, accepted.text
            shown = (await client.get(f"/moratoria/{moratorium}", headers=officer_headers("auditor"))).json()
            assert shown["status"] == "active" and shown["end_date"] == "2026-07-03"

            huge = b" " * 1_000_001
            refused = await client.post("/notifications", content=huge, headers=signed(huge))
            assert refused.status_code == 413
    finally:
        service.stop()
    assert service.process is not None and service.process.returncode == 0, service.tail()
