"""Every refusal a service's HTTP API gives, in one shape: RFC 9457 problem details (`application/problem+json`).

`detail` is the reason in words an integrator or an officer can act on; `reason` repeats it for clients written
against the earlier `{"detail": {"reason": ...}}` shape; anything else a refusal carries (the problems found in
a file, the fields a form got wrong) travels as an extension member beside them. A request that does not fit the
operation's schema (422) lists its `errors`, each with where and what.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"

PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "description": "Why the request was refused (RFC 9457 problem details), in words an integrator can act on.",
    "properties": {
        "type": {"type": "string", "description": "about:blank: the status says what kind of problem it is"},
        "title": {"type": "string", "description": "The status's name, e.g. Conflict"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "The reason, e.g. 'hold 1 was already lifted'"},
        "reason": {"type": "string", "description": "The same reason (the earlier shape's field)"},
        "errors": {
            "type": "array",
            "description": "422 only: each part of the request that does not fit, with where and what",
            "items": {"type": "object"},
        },
    },
    "required": ["type", "title", "status", "detail"],
}


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    """The problem-details answer for a refusal whose `detail` is text, a mapping (its `reason`, or its `detail`,
    is the text; the rest are extension members) or a list of errors."""
    members: dict[str, Any] = {}
    if isinstance(detail, dict):
        members = {
            k: v for k, v in detail.items() if k not in ("type", "title", "status", "detail", "reason")
        }
        text = str(detail.get("reason") or detail.get("detail") or _title(status))
    elif isinstance(detail, list):
        members = {"errors": detail}
        text = "; ".join(
            str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail
        )
    else:
        text = str(detail) if detail is not None else _title(status)
    body = {"type": "about:blank", "title": _title(status), "status": status, "detail": text, "reason": text}
    return JSONResponse(
        jsonable_encoder({**body, **members}), status, headers=headers, media_type=PROBLEM_JSON
    )


async def problem_for_refusal(request: Request, exc: Exception) -> Any:
    """An HTTPException as problem details (a non-HTTP exception goes to FastAPI's own handler)."""
    if not isinstance(exc, StarletteHTTPException):
        return await http_exception_handler(request, exc)  # type: ignore[arg-type]
    if exc.status_code in (204, 304):
        return await http_exception_handler(request, exc)
    return problem(exc.status_code, exc.detail, getattr(exc, "headers", None))


async def problem_for_unfit_request(request: Request, exc: Exception) -> Any:
    """A request that does not fit the operation's schema: 422 with each error's place and message."""
    if not isinstance(exc, RequestValidationError):
        return await request_validation_exception_handler(request, exc)  # type: ignore[arg-type]
    errors = [
        {
            "where": ".".join(str(p) for p in error.get("loc", ())),
            "what": error.get("msg"),
            "type": error.get("type"),
        }
        for error in exc.errors()
    ]
    detail = "; ".join(f"{e['where']}: {e['what']}" for e in errors) or "the request does not fit"
    return problem(422, {"detail": detail, "errors": errors})


def answer_with_problem_details(app: FastAPI) -> None:
    """Make the app's refusals problem details, keeping any handler the app installed itself (its pages): those
    fall back to `problem_for_refusal` for what they do not render."""
    if app.exception_handlers.get(StarletteHTTPException) in (None, http_exception_handler):
        app.add_exception_handler(StarletteHTTPException, problem_for_refusal)
    if app.exception_handlers.get(RequestValidationError) in (None, request_validation_exception_handler):
        app.add_exception_handler(RequestValidationError, problem_for_unfit_request)
