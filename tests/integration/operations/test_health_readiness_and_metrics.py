"""Every service process answers its orchestrator and its metrics scraper: alive, ready only when its database and
broker answer and it is consuming, and metrics that move when work is done."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from shared.contracts.recovery import DailyRunRequested
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import eventually, publish
from tests.identity import officer_headers, system_headers

# A queue of this test's own, so that no real recovery handler is involved.
ROUTING_KEY = f"recovery.operations_test_{uuid4().hex}.requested"
router = InboxRouter[None, list[date]]()


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY)
async def note_the_day(message: DailyRunRequested, handling: Handling[None, list[date]]) -> None:
    """Remembers the day asked for."""
    handling.service.append(message.business_date)


@pytest.fixture
async def runtime() -> AsyncIterator[tuple[ServiceRuntime, list[date]]]:
    days: list[date] = []
    running = ServiceRuntime("recovery", description="operations test", settings=PlatformSettings())
    running.include(router, stores=lambda session: None, service=days)
    yield running, days
    await running.stop()


def _client(running: ServiceRuntime) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=running.served_http_app()), base_url="http://svc"
    )


def _sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus' text format (0 before it first moves)."""
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_a_process_is_alive_at_once_and_ready_only_once_it_consumes(runtime) -> None:
    running, _ = runtime
    async with _client(running) as client:
        assert (await client.get("/healthz")).json() == {"status": "alive", "service": "recovery"}
        before = await client.get("/readyz")
        assert before.status_code == 503
        assert before.json()["consuming"] is False
        await running.start()
        after = await client.get("/readyz")
        assert after.status_code == 200, after.json()
        assert after.json() == {
            "ready": True,
            "service": "recovery",
            "database": True,
            "broker": True,
            "consuming": True,
        }


async def test_a_process_whose_database_is_unreachable_is_not_ready() -> None:
    settings = PlatformSettings(database_url="postgresql+asyncpg://council@127.0.0.1:9/nowhere")
    running = ServiceRuntime("recovery", description="operations test", settings=settings)
    running.consuming = True
    async with _client(running) as client:
        answer = await client.get("/readyz")
    await running.database.dispose()
    assert answer.status_code == 503
    assert answer.json()["database"] is False


async def test_handled_deliveries_show_in_the_metrics(runtime) -> None:
    running, days = runtime
    await running.start()
    queue = f"recovery.{ROUTING_KEY}"
    async with _client(running) as client:
        client.headers.update(system_headers("monitoring"))
        metrics = (await client.get("/metrics")).text
        handled_before = _sample(
            metrics, "council_debt_inbox_deliveries_total", queue=queue, outcome="handled"
        )
        await publish(DailyRunRequested(business_date=date(2026, 4, 1)), routing_key=ROUTING_KEY)

        async def days_seen() -> list[date]:
            return days

        await eventually(days_seen, lambda seen: seen == [date(2026, 4, 1)])

        async def scraped() -> str:
            # The handler has run; the delivery counts as handled once its transaction has committed.
            return (await client.get("/metrics")).text

        metrics = await eventually(
            scraped,
            lambda text: (
                _sample(text, "council_debt_inbox_deliveries_total", queue=queue, outcome="handled")
                > handled_before
            ),
        )
    assert _sample(metrics, "council_debt_inbox_deliveries_total", queue=queue, outcome="handled") == (
        handled_before + 1
    )
    assert _sample(metrics, "council_debt_inbox_batch_size_count", queue=queue) >= 1
    assert "council_debt_outbox_unsent" in metrics


async def test_metrics_are_for_the_monitoring_role_only(runtime) -> None:
    running, _ = runtime
    async with _client(running) as client:
        anonymous = await client.get("/metrics")
        officer = await client.get("/metrics", headers=officer_headers("revenues.officer"))
        scraper = await client.get("/metrics", headers=system_headers("monitoring"))
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert officer.status_code == 403
    assert scraper.status_code == 200


async def test_the_api_documents_load_nothing_from_the_internet(runtime) -> None:
    running, _ = runtime
    running.http_app = FastAPI(title="Recovery")  # a service's own app, with FastAPI's default pages
    async with _client(running) as client:
        for page in ("/docs", "/redoc"):
            html = (await client.get(page)).text
            scripts = re.findall(r'(?:src|href)="([^"]+)"', html)
            assert scripts, page
            assert all(not url.startswith(("http://", "https://", "//")) for url in scripts), (page, scripts)
            for url in scripts:
                assert (await client.get(url)).status_code == 200, url
        assert (await client.get("/openapi.json")).status_code == 200


async def test_the_dead_letter_tray_is_watched_on_the_metrics(runtime) -> None:
    running, _ = runtime
    await running.start()
    async with _client(running) as client:
        client.headers.update(system_headers("monitoring"))

        async def exposition() -> str:
            return (await client.get("/metrics")).text

        metrics = await eventually(exposition, lambda text: 'tray="dead_letters"' in text)
    assert 'council_debt_work_waiting{service="recovery",tray="dead_letters"}' in metrics
    assert 'council_debt_work_oldest_age_seconds{service="recovery",tray="dead_letters"}' in metrics


@pytest.mark.parametrize("service", ["billing", "recovery", "breathing_space", "agents_gateway", "writeoff"])
async def test_every_work_tray_a_service_watches_is_a_query_that_answers(service: str) -> None:
    import importlib

    running = importlib.import_module(f"services.{service}.bootstrap").bootstrap().runtime
    assert "dead_letters" in running._trays
    async with running.database.engine.connect() as connection:
        for tray, statement in running._trays.items():
            waiting, oldest = (await connection.execute(statement)).one()
            assert waiting >= 0 and float(oldest) >= 0, tray
    await running.database.dispose()
