"""An outbox relay as a process of its own (`council-debt relay <service>`, RELAY_IN_PROCESS=false), with the same
`/healthz`, `/readyz` and `/metrics` as a service process, so an orchestrator can probe it and a scraper can see
what it published: alive while it runs, ready while its relay task runs and its database and broker answer.
HTTP is served only when HTTP_PORT is set (Kubernetes: 8081 beside the service's 8080 in the same pod)."""

from __future__ import annotations

import asyncio
import contextlib
import signal

import aio_pika
import asyncpg
import uvicorn
from fastapi import FastAPI

from shared.messaging.relay import OutboxRelay
from shared.operations_endpoints import ReadinessChecks, operations_router
from shared.persistence.database import asyncpg_dsn
from shared.runtime import HttpServerWithoutSignals
from shared.settings import PlatformSettings


def relay_app(relay: OutboxRelay, task: asyncio.Task[None], settings: PlatformSettings) -> FastAPI:
    """The relay's operations endpoints."""

    async def database_answers() -> object:
        connection = await asyncpg.connect(asyncpg_dsn(settings.database_url), timeout=2)
        try:
            return await connection.fetchval("SELECT 1")
        finally:
            await connection.close()

    async def broker_answers() -> bool:
        connection = await aio_pika.connect(relay.amqp_url, timeout=2)
        await connection.close()
        return True

    checks = ReadinessChecks(
        f"{relay.service}-relay", database_answers, broker_answers, lambda: not task.done()
    )
    app = FastAPI(title=f"{relay.service} relay", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(operations_router(checks))
    return app


async def serve_relay(relay: OutboxRelay, settings: PlatformSettings) -> None:
    """Relay until SIGTERM/SIGINT, serving the operations endpoints when HTTP_PORT is set."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    task = asyncio.create_task(relay.run(), name=f"{relay.service}-relay")
    server = None
    serving = None
    if settings.http_port:
        config = uvicorn.Config(
            relay_app(relay, task, settings),
            host=settings.http_host,
            port=settings.http_port,
            log_config=None,
            access_log=False,
        )
        server = HttpServerWithoutSignals(config)
        serving = asyncio.create_task(server.serve())
    await asyncio.wait([asyncio.create_task(stop.wait()), task], return_when=asyncio.FIRST_COMPLETED)
    if server is not None and serving is not None:
        server.should_exit = True
        await serving
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
