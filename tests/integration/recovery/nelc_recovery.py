"""Recovery configured for North East Lincolnshire, run in place of the session's default council by the tests of
NELC's own rules (proof of debt, the housing benefit order of recovery): bootstrapped once from the session's
environment, started and stopped around each test by the `nelc_recovery` fixture (import it into the test module).
Those tests use dates in 2018, so that their daily runs meet no other test's cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest

from tests.council_bus import database

_nelc: list[Any] = []


def the_nelc_recovery_service() -> Any:
    """Recovery bootstrapped for North East Lincolnshire (once per session)."""
    if not _nelc:
        from services.recovery.bootstrap import bootstrap

        _nelc.append(bootstrap(council="nelc"))
    return _nelc[0]


@pytest.fixture
async def nelc_recovery() -> AsyncIterator[Any]:
    runtime = the_nelc_recovery_service().runtime
    await runtime.start()
    yield runtime
    await runtime.stop()


def officer_desk() -> Any:
    """An HTTP client on the NELC recovery's app, signed in as a revenues officer."""
    import httpx

    from tests.identity import officer_headers

    app = the_nelc_recovery_service().runtime.http_app
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://recovery",
        headers=officer_headers("revenues.officer"),
    )


async def record_of(case_id: UUID) -> list[tuple[str, str]]:
    """(entry, summary) of the case's record, in order."""
    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT entry, summary FROM recovery.case_record WHERE case_id = $1 ORDER BY entry_id", case_id
        )
    finally:
        await connection.close()
    return [(r["entry"], r["summary"]) for r in rows]
