"""The write-off service over HTTP: the JSON API and the approvals page."""

from __future__ import annotations

from fastapi import FastAPI


def build_http_app() -> FastAPI:
    """The FastAPI application served on HTTP_PORT."""
    from services.writeoff.web import api, pages

    app = FastAPI(
        title="Write-off service",
        description="Write-off requests, schedules, signatures, committee decisions, declarations and reports.",
    )
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
