"""The write-off service running in this test process against the session's real RabbitMQ and PostgreSQL, its
HTTP app reached through httpx, and a listener on what it publishes."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.writeoff.desk import BusListener


@pytest.fixture(scope="package")
async def writeoff_service():
    from services.writeoff.bootstrap import bootstrap

    runtime = bootstrap().runtime
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
async def client(writeoff_service):
    transport = httpx.ASGITransport(app=writeoff_service.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://writeoff.test") as http:
        yield http


@pytest.fixture
async def bus():
    listener = await BusListener().start()
    yield listener
    await listener.stop()
