"""Each service's API documents served from this machine: a council network often has no route to the internet,
where FastAPI's default /docs and /redoc pages load their scripts from a CDN (the pages came up blank). The
assets come from the fastapi-offline package, installed with the project."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute, Route

ASSETS_URL = "/api-docs-assets"
_ASSETS = Path(fastapi_offline.__file__).parent / "static"


def serve_docs_from_this_machine(app: FastAPI) -> None:
    """Replace the app's CDN-loading /docs and /redoc pages by pages whose scripts and styles it serves itself."""
    if app.openapi_url is None or getattr(app.state, "docs_served_locally", False):
        return
    pages = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
    app.router.routes[:] = [r for r in app.router.routes if not _is_page(r, pages)]
    app.mount(ASSETS_URL, StaticFiles(directory=_ASSETS), name="api-docs-assets")
    openapi_url = app.openapi_url
    redirect_url = app.swagger_ui_oauth2_redirect_url

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - API",
            oauth2_redirect_url=redirect_url,
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - API reference",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )

    app.add_api_route(app.docs_url or "/docs", swagger_ui, include_in_schema=False)
    if redirect_url:
        app.add_api_route(redirect_url, oauth2_redirect, include_in_schema=False)
    app.add_api_route(app.redoc_url or "/redoc", redoc, include_in_schema=False)
    app.state.docs_served_locally = True


def _is_page(route: BaseRoute, pages: set[str | None]) -> bool:
    return isinstance(route, Route) and route.path in pages
