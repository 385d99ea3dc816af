"""The workbench process is scraped like every other: its /metrics (memory, CPU, open files) for the monitoring
and operations roles only, and each request it answers logged with its request id."""

from __future__ import annotations

import httpx

from services.workbench.bootstrap import bootstrap
from tests.identity import officer_headers, system_headers


async def scrape(headers: dict[str, str]) -> httpx.Response:
    app = bootstrap().http_app
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://workbench"
    ) as client:
        return await client.get("/metrics", headers=headers)


async def test_the_monitoring_role_reads_the_workbench_process_metrics() -> None:
    answer = await scrape(system_headers("monitoring"))
    assert answer.status_code == 200
    assert "process_resident_memory_bytes" in answer.text
    assert len(answer.headers["x-request-id"]) == 32


async def test_an_officer_is_refused_the_metrics() -> None:
    assert (await scrape(officer_headers("revenues.officer"))).status_code == 403
