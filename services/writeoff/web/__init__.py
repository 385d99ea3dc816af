"""The write-off service over HTTP: the JSON API and the approvals pages, every route behind the council's
identity provider (`shared.auth`)."""

from __future__ import annotations

import inspect

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.writeoff.dependencies import WriteOff
from shared.auth import AuthSettings, assert_every_route_is_protected, include_browser_sign_in


def _refusals_as_pages(app: FastAPI) -> None:
    """A person refused a page (403: none of the roles) reads why on a page; every other error goes to the
    handler shared.auth installed (401 on a page: sign in first)."""
    from services.writeoff.web.pages import page

    signing_in = app.exception_handlers[StarletteHTTPException]

    async def handle(request: Request, exc: Exception) -> Response:
        wants_page = "text/html" in request.headers.get("accept", "")
        if isinstance(exc, StarletteHTTPException) and exc.status_code == 403 and wants_page:
            detail = exc.detail.get("reason") if isinstance(exc.detail, dict) else exc.detail
            return page(
                "refused.html", 403, title="You do not have access", reasons=[str(detail)], person=None
            )
        answer = signing_in(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(StarletteHTTPException, handle)


def build_http_app(service: WriteOff, auth: AuthSettings | None = None) -> FastAPI:
    """The FastAPI application served on HTTP_PORT, its routes given `service` (app.state.service) and trusting
    the provider of `auth` (else AUTH_* from the environment)."""
    from services.writeoff.web import api, pages
    from services.writeoff.web.identity import who_may_act, who_may_read

    app = FastAPI(
        title="Write-off service",
        description="Write-off requests, schedules, signatures, committee decisions, declarations, debtors, "
        "payments for consideration and reports. Every route needs a bearer token from the council's identity "
        "provider (the approvals pages: its browser sign-in).",
    )
    app.state.service = service
    if auth is not None:
        app.state.auth_settings = auth
    include_browser_sign_in(app)
    _refusals_as_pages(app)
    readers, actors = [Depends(who_may_read(service))], [Depends(who_may_act(service))]
    app.include_router(api.reads, dependencies=readers)
    app.include_router(api.acts, dependencies=actors)
    app.include_router(pages.reads, dependencies=readers)
    app.include_router(pages.acts, dependencies=actors)
    assert_every_route_is_protected(app)
    return app
