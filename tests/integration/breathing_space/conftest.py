"""The breathing space service running in this test process against the session's real broker and database,
with its own inbound and outbound folders, short check intervals and a two-second confirmation window."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date
from pathlib import Path

import httpx
import pytest

_HERE = Path(tempfile.mkdtemp(prefix="breathing-space-tests-"))
INBOUND = _HERE / "inbound"
OUTBOUND = _HERE / "outbound"
RULES = _HERE / "breathing_space.yaml"
SECRET = "integration-test-secret"
CONFIRMATION_WINDOW_SECONDS = 2
PENDING_MATCH_ALERT_SECONDS = 4

RULES.write_text(
    re.sub(
        r"(?m)^confirmation_window_seconds: \d+",
        f"confirmation_window_seconds: {CONFIRMATION_WINDOW_SECONDS}",
        (Path(__file__).parents[3] / "services/breathing_space/breathing_space.yaml").read_text(),
    )
)
# The service's settings as the environment gives them (also to the command line and the processes started).
os.environ.update(
    BREATHING_SPACE_INBOUND_FOLDER=str(INBOUND),
    BREATHING_SPACE_OUTBOUND_FOLDER=str(OUTBOUND),
    BREATHING_SPACE_RULES_FILE=str(RULES),
    BREATHING_SPACE_SIGNING_SECRET=SECRET,
    BREATHING_SPACE_FOLDER_POLL_INTERVAL="0.1",
    BREATHING_SPACE_EXPIRY_CHECK_INTERVAL="0.2",
    BREATHING_SPACE_CONFIRMATION_CHECK_INTERVAL="0.2",
    BREATHING_SPACE_OUTBOUND_WRITE_INTERVAL="0.1",
    BREATHING_SPACE_PENDING_MATCH_ALERT_AFTER=str(PENDING_MATCH_ALERT_SECONDS),
)


@pytest.fixture(scope="package")
async def breathing_space():
    """The service consuming, relaying and running its background tasks while these tests run (stopped after
    them, so it does not compete with other packages' service processes)."""
    from services.breathing_space.bootstrap import bootstrap

    service = bootstrap()
    await service.runtime.start()
    yield service
    await service.runtime.stop()


@pytest.fixture
async def http(breathing_space):
    """The service's HTTP app, reached in-process, as a breathing space officer signed in with the council's
    identity provider (the signed intake ignores the token: it is authenticated by its signature)."""
    from tests.identity import officer_headers

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=breathing_space.runtime.http_app),
        base_url="http://breathing-space",
        headers=officer_headers("breathing.space.officer"),
    ) as client:
        yield client


BUSINESS_DATE = date(2026, 5, 10)


@pytest.fixture(autouse=True)
def business_date():
    """Every test starts on 10 May 2026 (the service runs in this process, so it shares this clock)."""
    from shared.clock import clock

    before = clock.pinned
    clock.pin(BUSINESS_DATE)
    yield BUSINESS_DATE
    clock.pin(before)
