"""One JSON access line per HTTP request, with a request id that follows everything logged while it is handled.

The id comes from the caller's `X-Request-ID` (a gateway or the workbench passes its own on, so one officer's
click can be followed across services) when it is a plain token, else a new one; it is sent back in the answer.
Only the method, the path and the status are logged: never the query string (a search carries names and
postcodes) nor a body. Probes and scrapes (/healthz, /readyz, /metrics) are not logged, or they would drown the rest.
"""

from __future__ import annotations

import re
import time
from typing import Any
from uuid import uuid4

import structlog

REQUEST_ID_HEADER = b"x-request-id"
_PLAIN_TOKEN = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")
_NOT_LOGGED = frozenset({"/healthz", "/readyz", "/metrics"})


class AccessLog:
    """Pure ASGI middleware: binds `request_id`, answers with it, and logs the request once it is answered."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(REQUEST_ID_HEADER, b"")
        request_id = given.decode() if _PLAIN_TOKEN.match(given) else uuid4().hex
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                path = scope.get("path", "")
                if path not in _NOT_LOGGED:
                    structlog.get_logger("http").info(
                        "http request",
                        request_id=request_id,
                        method=scope.get("method"),
                        path=path,
                        status=status,
                        duration_ms=round((time.perf_counter() - started) * 1000, 1),
                    )


def log_every_request(app: Any) -> None:
    """Add the access log to a FastAPI/Starlette app once, before it first answers (the runtime adds it when it
    is given the app)."""
    if not getattr(app.state, "access_logged", False) and getattr(app, "middleware_stack", None) is None:
        app.add_middleware(AccessLog)
        app.state.access_logged = True
