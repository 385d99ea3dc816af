"""Operators follow one request through a service's logs by its request id, and a council's logs never receive what
an officer typed into a search (the query string may hold names and postcodes)."""

from __future__ import annotations

import json

import httpx
import structlog
from fastapi import FastAPI

from shared.access_log import log_every_request
from shared.logs import configure_logging


def an_app() -> FastAPI:
    app = FastAPI()

    @app.get("/customers")
    async def search(query: str) -> dict[str, str]:
        structlog.get_logger("billing").info("customers searched")
        return {"found": "none"}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    log_every_request(app)
    return app


async def ask(app: FastAPI, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://billing") as client:
        return await client.get(path, headers=headers or {})


def lines(captured: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


async def test_a_request_is_logged_once_with_the_callers_request_id_and_without_its_query(capsys) -> None:
    configure_logging("billing")
    answer = await ask(an_app(), "/customers?query=Shah%20DE1%201AA", {"X-Request-ID": "workbench-42"})
    assert answer.headers["x-request-id"] == "workbench-42"
    logged = lines(capsys.readouterr().err)
    handled, access = logged
    assert handled["event"] == "customers searched" and handled["request_id"] == "workbench-42"
    assert access["event"] == "http request" and access["request_id"] == "workbench-42"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/customers", 200)
    assert "Shah" not in json.dumps(logged) and "DE1" not in json.dumps(logged)


async def test_a_request_id_that_is_not_a_plain_token_is_replaced(capsys) -> None:
    configure_logging("billing")
    answer = await ask(an_app(), "/customers?query=x", {"X-Request-ID": "<script>"})
    assert answer.headers["x-request-id"] != "<script>" and len(answer.headers["x-request-id"]) == 32


async def test_probes_are_not_logged(capsys) -> None:
    configure_logging("billing")
    await ask(an_app(), "/healthz")
    assert [line for line in lines(capsys.readouterr().err) if line.get("event") == "http request"] == []
