"""The council's five services and the workbench as real processes, against the session's RabbitMQ,
PostgreSQL and OpenID Connect provider, and a headless Chromium (Debian's, through Playwright) to use them as an
officer would."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, async_playwright

from tests.council_bus import eventually
from tests.e2e.council_services import CouncilServices, RunningService, a_free_port
from tests.service_processes import ServiceProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")
INSOLVENCY_SERVICE_SECRET = "workbench-tests-" + os.urandom(8).hex()
"""What the Insolvency Service signs its notifications with, shared with breathing space for these tests."""
MANAGEMENT_INFORMATION_POLICY = Path(__file__).with_name("management_information_policy.yaml")
"""Billing's management information policy here: two directorates with budget holder roles (Operations, Place)."""
SERVICE_ENVIRONMENT = {
    "breathing_space": {"BREATHING_SPACE_SIGNING_SECRET": INSOLVENCY_SERVICE_SECRET},
    "billing": {
        "MANAGEMENT_INFORMATION_POLICY_FILE": str(MANAGEMENT_INFORMATION_POLICY),
        "MANAGEMENT_INFORMATION_COUNCIL": "workbench_tests",
    },
}


def _identity_provider() -> None:
    """The session's provider (AUTH_ISSUER); when the session did not start one, one of this package's own."""
    if os.environ.get("AUTH_ISSUER") and os.environ.get("AUTH_CLIENTS_FILE"):
        return
    from deploy.local import identity_provider

    folder = Path(tempfile.mkdtemp(prefix="workbench-identity-"))
    issuer = identity_provider.start(folder, a_free_port())
    os.environ.update(identity_provider.environment(folder, issuer))
    _started_provider.append(folder)


_started_provider: list[Path] = []


@pytest.fixture(scope="package")
async def council() -> AsyncIterator[CouncilServices]:
    """Every service with its HTTP API on a port of its own."""
    _identity_provider()
    services = CouncilServices(
        *(RunningService(name, http=True, **SERVICE_ENVIRONMENT.get(name, {})) for name in SERVICES)
    )
    try:
        yield await services.start()
    finally:
        services.stop()
        if _started_provider:
            from deploy.local import identity_provider

            identity_provider.stop(_started_provider.pop())


@pytest.fixture(scope="package")
async def workbench(council: CouncilServices) -> AsyncIterator[str]:
    """`python -m services.workbench` on a free port, calling those services; its address."""
    port = a_free_port()
    process = ServiceProcess(
        "workbench",
        HTTP_PORT=str(port),
        AUTH_CLIENT_ID="workbench",
        **{f"WORKBENCH_{name.upper()}_URL": council[name].url for name in SERVICES},
    )
    process.start(timeout=60)
    site = f"http://127.0.0.1:{port}"

    async def answers() -> bool:
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                return (await client.get(f"{site}/healthz")).status_code == 200
        except httpx.HTTPError:
            return False

    await eventually(answers, bool, timeout=30)
    try:
        yield site
    finally:
        process.stop()


@pytest.fixture(scope="package")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()
