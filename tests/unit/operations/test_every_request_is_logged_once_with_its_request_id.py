"""Operators follow one request through a service's logs by its request id, and a council's logs never receive what
an officer typed into a search (the query string may hold names and postcodes)."""

from __future__ import annotations

import httpx
import structlog
from fastapi import FastAPI
from structlog.testing import capture_logs

from shared.access_log import log_every_request

SEEN_WHILE_HANDLING: list[dict[str, object]] = []


def an_app() -> FastAPI:
    app = FastAPI()

    @app.get("/customers")
    async def search(query: str) -> dict[str, str]:
        SEEN_WHILE_HANDLING.append(structlog.contextvars.get_contextvars())
        return {"found": "none"}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    log_every_request(app)
    return app


async def ask(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=an_app()), base_url="http://billing"
    ) as client:
        return await client.get(path, headers=headers or {})


async def test_a_request_is_logged_once_with_the_callers_request_id_and_without_its_query() -> None:
    with capture_logs() as logged:
        answer = await ask("/customers?query=Shah%20DE1%201AA", {"X-Request-ID": "workbench-42"})
    assert answer.headers["x-request-id"] == "workbench-42"
    assert SEEN_WHILE_HANDLING[-1]["request_id"] == "workbench-42"  # on every line logged while handling it
    (access,) = [line for line in logged if line["event"] == "http request"]
    assert access["request_id"] == "workbench-42"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/customers", 200)
    assert "Shah" not in repr(logged) and "DE1" not in repr(logged)


async def test_a_request_id_that_is_not_a_plain_token_is_replaced() -> None:
    answer = await ask("/customers?query=x", {"X-Request-ID": "<script>"})
    assert answer.headers["x-request-id"] != "<script>" and len(answer.headers["x-request-id"]) == 32


async def test_probes_are_not_logged() -> None:
    with capture_logs() as logged:
        await ask("/healthz")
    assert [line for line in logged if line["event"] == "http request"] == []
