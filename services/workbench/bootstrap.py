"""The workbench wired: settings, the pooled connections to each service, the page renderer, browser sign-in
and every page. Nothing is built at import; each `bootstrap()` gives an independent workbench."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.workbench.clients import ServiceConnections
from services.workbench.pages import (
    case_actions,
    counter_payment,
    customer,
    dead_letters,
    decisions,
    management_information,
    search,
    trays,
)
from services.workbench.rendering import Pages
from services.workbench.settings import HERE, WorkbenchSettings
from shared.access_log import log_every_request
from shared.auth import AuthSettings, Role, assert_every_route_is_protected, include_browser_sign_in, requires

PAGE_ROUTERS = (
    search.router,
    customer.router,
    case_actions.router,
    decisions.router,
    trays.router,
    dead_letters.router,
    counter_payment.router,
    management_information.router,
)


@dataclass
class Workbench:
    """The workbench process: its settings and its HTTP app."""

    settings: WorkbenchSettings
    http_app: FastAPI


def _refusals_as_pages(app: FastAPI, pages: Pages) -> None:
    """A person refused a page (403: none of the workbench's roles) reads why on a page; every other error
    goes to the sign-in handler shared.auth installed (401 on a page: sign in first)."""
    signing_in = app.exception_handlers[StarletteHTTPException]

    async def handle(request: Request, exc: Exception) -> Response:
        wants_page = "text/html" in request.headers.get("accept", "")
        if isinstance(exc, StarletteHTTPException) and exc.status_code == 403 and wants_page:
            detail = exc.detail.get("reason") if isinstance(exc.detail, dict) else exc.detail
            return pages.render(
                request, "refused.html", status_code=403, title="You do not have access", reason=str(detail)
            )
        answer = signing_in(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(StarletteHTTPException, handle)


def build_http_app(settings: WorkbenchSettings, auth: AuthSettings | None = None) -> FastAPI:
    """The workbench's app: GOV.UK Frontend's assets, sign-in, the pages, /healthz and /readyz."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.connections.close()

    app = FastAPI(
        title="Council debt workbench",
        description="The officers' workbench: pages over every service's HTTP API.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    pages = Pages(settings.council_name)
    app.state.settings = settings
    app.state.pages = pages
    app.state.connections = ServiceConnections.to(settings)
    if auth is not None:
        app.state.auth_settings = auth
    include_browser_sign_in(app)
    _refusals_as_pages(app, pages)
    for router in PAGE_ROUTERS:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": "workbench"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, Any]:
        # The workbench holds nothing of its own: it is ready when it runs; each page says which service is away.
        return {"ready": True, "service": "workbench"}

    @app.get(
        "/metrics",
        include_in_schema=False,
        dependencies=[Depends(requires(Role.MONITORING, Role.OPERATIONS))],
    )
    async def metrics() -> Response:
        # The process's own (memory, CPU, open files); each service's trays are on that service's /metrics.
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app.mount("/govuk", StaticFiles(directory=settings.assets_directory, check_dir=False), name="govuk")
    app.mount(
        "/assets", StaticFiles(directory=settings.assets_directory / "assets", check_dir=False), name="assets"
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    log_every_request(app)
    assert_every_route_is_protected(app)
    return app


def bootstrap(
    settings: WorkbenchSettings | None = None, *, auth: AuthSettings | None = None, **overrides: Any
) -> Workbench:
    """The workbench from `settings` (or the environment with `overrides`) and the identity provider's
    settings (`auth`, or AUTH_* from the environment)."""
    settings = settings or WorkbenchSettings(**overrides)
    return Workbench(settings=settings, http_app=build_http_app(settings, auth))
