"""Every HTTP route of every service refuses anyone without a token and anyone without the route's role.

The routes are walked, not listed: a route added tomorrow without `requires(...)` fails here (and the runtime
refuses to serve it). Only the health checks, the API documents and the routes declared `public(reason)` (the
breathing space signed intake, the browser sign-in steps) are left out, each for the reason it gives.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from shared.auth.requirements import UNPROTECTED_PATHS, route_protection, routes_of, unprotected_routes
from tests.identity import officer_headers

SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")


def _app_of(service: str) -> Any:
    built = importlib.import_module(f"services.{service}.bootstrap").bootstrap()
    return built.runtime.served_http_app()


@pytest.fixture(scope="module")
def apps() -> dict[str, Any]:
    return {service: _app_of(service) for service in SERVICES}


def _protected_routes(app: Any) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for route in routes_of(app):
        if route.path in UNPROTECTED_PATHS:
            continue
        protection = route_protection(route)
        if isinstance(protection, tuple):
            path = re.sub(r"\{[^}]+\}", lambda _: str(uuid4()), route.path)
            for method in sorted(route.methods or ()):
                yield method, path, protection


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_declares_who_may_call_it(apps: dict[str, Any], service: str) -> None:
    assert unprotected_routes(apps[service]) == []


@pytest.mark.parametrize("service", SERVICES)
async def test_every_route_refuses_an_anonymous_caller_and_a_caller_without_its_role(
    apps: dict[str, Any], service: str
) -> None:
    app = apps[service]
    nobody = officer_headers("no.roles")
    checked = 0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        for method, path, roles in _protected_routes(app):
            anonymous = await client.request(method, path)
            assert anonymous.status_code == 401, f"{method} {path} answered {anonymous.status_code} to nobody"
            assert anonymous.headers["www-authenticate"].startswith("Bearer")
            without_role = await client.request(method, path, headers=nobody)
            assert without_role.status_code == 403, (
                f"{method} {path} (needs {roles}) answered {without_role.status_code} to a person without roles"
            )
            checked += 1
    assert checked > 0, f"{service} has no protected routes to check"


async def test_a_forged_token_is_refused() -> None:
    app = _app_of("recovery")
    real = officer_headers("no.roles")["Authorization"]
    header, payload, signature = real.removeprefix("Bearer ").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["senior_officer", "monitoring"]  # a person without roles grants themselves some
    raised = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"Bearer {header}.{raised}.{signature}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        route = next(_protected_routes(app))
        answer = await client.request(route[0], route[1], headers={"Authorization": forged})
    assert answer.status_code == 401
    assert "not valid" in answer.json()["reason"]
