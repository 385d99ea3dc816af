"""The write-off service over HTTP: the JSON API and the approvals page."""

from __future__ import annotations

from fastapi import FastAPI

from services.writeoff.dependencies import WriteOff


def build_http_app(service: WriteOff) -> FastAPI:
    """The FastAPI application served on HTTP_PORT, its routes given `service` (app.state.service)."""
    from services.writeoff.web import api, pages

    app = FastAPI(
        title="Write-off service",
        description="Write-off requests, schedules, signatures, committee decisions, declarations and reports.",
    )
    app.state.service = service
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
