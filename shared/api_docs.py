"""Each service's API documents served from this machine: a council network often has no route to the internet,
where FastAPI's default /docs and /redoc pages load their scripts from a CDN (the pages came up blank). The
assets come from the fastapi-offline package, installed with the project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute, Route

from shared.problem_details import PROBLEM_JSON, PROBLEM_SCHEMA

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


REFUSALS = {
    "401": "No token, or one this service cannot trust (expired, wrong issuer or audience, bad signature): "
    "sign in again. `WWW-Authenticate: Bearer` says so too.",
    "403": "The token is good but holds none of the roles this operation needs (the reason names them), or a "
    "change made with a browser session came from another site.",
    "503": "The identity provider's keys could not be read just now: try again (`Retry-After`).",
}


_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _amend_openapi(app: FastAPI, flag: str, amend: Callable[[dict[str, Any]], None]) -> None:
    """Have `amend` edit the app's OpenAPI document once, when it is first built (once per flag)."""
    if getattr(app.state, flag, False):
        return
    build = app.openapi

    def amended() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = build()
        amend(document)
        app.openapi_schema = document
        return document

    app.openapi = amended  # type: ignore[method-assign]
    setattr(app.state, flag, True)


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict):
                yield path, method, operation


def document_refusals(app: FastAPI) -> None:
    """State in the app's OpenAPI document the refusals every protected operation can give (401, 403, 503), so an
    integrator reads them beside each operation rather than discovering them."""

    def with_refusals(document: dict[str, Any]) -> None:
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        for _, _, operation in _operations(document):
            if "422" in operation.get("responses", {}):  # answered as problem details, not FastAPI's list
                operation["responses"]["422"] = {
                    "description": "The request does not fit the operation: `errors` says where and what.",
                    "content": _PROBLEM_CONTENT,
                }
            if operation.get("security"):
                responses = operation.setdefault("responses", {})
                for status, description in REFUSALS.items():
                    responses.setdefault(status, {"description": description, "content": _PROBLEM_CONTENT})

    _amend_openapi(app, "refusals_documented", with_refusals)


def name_operations(app: FastAPI) -> None:
    """Give every operation an id an integrator's generated client can use (the handler's name, e.g.
    `applyHold`, not FastAPI's `apply_hold_cases__case_id__holds_post`) and a tag (its path's first part, e.g.
    `cases`) where its router gave none, so the document reads by subject."""
    from shared.auth.requirements import routes_of  # the routes through FastAPI's lazily included routers

    def with_names(document: dict[str, Any]) -> None:
        names = {
            (str(context.path_format), method.lower()): str(context.name)
            for context in routes_of(app)
            for method in context.methods or ()
        }
        taken: set[str] = set()
        for path, method, operation in _operations(document):
            words = names.get((path, method), str(operation.get("operationId", method))).split("_")
            name = words[0] + "".join(w.title() for w in words[1:])
            if name in taken:  # the same handler name on two paths: the path tells them apart
                name += "".join(p.title() for p in path.replace("{", "").replace("}", "").split("/"))
            taken.add(name)
            operation["operationId"] = name
            if not operation.get("tags"):
                operation["tags"] = [path.strip("/").split("/", 1)[0].strip("{}") or "service"]

    _amend_openapi(app, "operations_named", with_names)
