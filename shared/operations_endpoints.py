"""The endpoints an orchestrator and a metrics scraper call on every service process: `/healthz` (the process is
alive) and `/readyz` (its database and broker answer and it is consuming: route work to it), unauthenticated by
design (an orchestrator's probes carry no token; they show no personal data and do nothing), and `/metrics`
(Prometheus), which needs the monitoring role: a scraper takes a client-credentials token (Prometheus's own
`oauth2` scrape setting), because counts of letters, holds and dead letters are the council's business."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from shared.auth import Role, requires

READINESS_TIMEOUT_SECONDS = 2.0


class Alive(BaseModel):
    """The process answers."""

    status: str = "alive"
    service: str


class Readiness(BaseModel):
    """Whether the process can do its work now, and if not, which dependency is missing."""

    ready: bool
    service: str
    database: bool
    broker: bool
    consuming: bool


@dataclass(frozen=True)
class ReadinessChecks:
    """How a runtime answers the readiness questions (each an awaitable that raises or returns False when not)."""

    service: str
    database: Callable[[], Awaitable[object]]
    broker: Callable[[], Awaitable[bool]]
    consuming: Callable[[], bool]


async def _answers(check: Callable[[], Awaitable[object]]) -> bool:
    try:
        result = await asyncio.wait_for(check(), READINESS_TIMEOUT_SECONDS)
    except Exception:  # unreachable, refused, timed out: not ready, whatever the cause
        return False
    return result is not False


def operations_router(checks: ReadinessChecks) -> APIRouter:
    """`/healthz`, `/readyz` and `/metrics` for one service process (hidden from the service's API document)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> Alive:
        return Alive(service=checks.service)

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        database, broker = await asyncio.gather(_answers(checks.database), _answers(checks.broker))
        consuming = checks.consuming()
        readiness = Readiness(
            ready=database and broker and consuming,
            service=checks.service,
            database=database,
            broker=broker,
            consuming=consuming,
        )
        return JSONResponse(readiness.model_dump(), status_code=200 if readiness.ready else 503)

    @router.get("/metrics", dependencies=[Depends(requires(Role.MONITORING, Role.OPERATIONS))])
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
