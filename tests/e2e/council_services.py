"""The council's services as real processes for an end-to-end scenario, and the ways the outside world drives
them: the business date moved for every process, the daily run requested for a date, HTTP ports of their own.

Every scenario module starts its own set once (module-scoped) and stops it at the end; the broker and the
database are the test session's.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from uuid import UUID

import httpx

from shared.contracts.platform import BusinessDateSet
from shared.contracts.recovery import DailyRunRequested
from tests.council_bus import database, eventually, publish
from tests.identity import officer_headers
from tests.service_processes import ServiceProcess

OFFICER_OF = {
    "billing": "revenues.officer",
    "recovery": "senior.officer",
    "breathing_space": "breathing.space.officer",
    "agents_gateway": "agents.officer",
}
"""Who the end-to-end tests sign in as on each service unless a test says otherwise (write-off: always said)."""


def a_free_port() -> int:
    """A TCP port nobody is listening on now, for a service's HTTP_PORT."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningService:
    """One service process, with its HTTP address when it serves HTTP."""

    def __init__(self, name: str, http: bool, **environment: str) -> None:
        self.name = name
        self.port = a_free_port() if http else None
        if self.port:
            environment = {"HTTP_PORT": str(self.port), **environment}
        self.process = ServiceProcess(name, **environment)
        self._log_offset = 0

    @property
    def url(self) -> str:
        assert self.port, f"{self.name} was started without HTTP"
        return f"http://127.0.0.1:{self.port}"

    def client(self, signed_in_as: str | None = None) -> httpx.AsyncClient:
        """An HTTP client on this service, as an officer's screen would call it: signed in at the identity
        provider as `signed_in_as`, by default the officer whose work the service is (OFFICER_OF)."""
        person = signed_in_as or OFFICER_OF.get(self.name)
        headers = officer_headers(person) if person else {}
        return httpx.AsyncClient(base_url=self.url, timeout=30.0, headers=headers)

    def log_lines(self) -> list[dict[str, Any]]:
        """The service's JSON log lines written since it was (last) started."""
        text = self.process.log.read_text(errors="replace")[self._log_offset :]
        lines = []
        for line in text.splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
        return lines

    def start(self) -> None:
        self._log_offset = self.process.log.stat().st_size
        self.process.start(timeout=60)

    async def serving_http(self) -> None:
        """Wait until the HTTP server answers (it starts just after the service says it is consuming)."""
        if not self.port:
            return

        async def answers() -> bool:
            try:
                async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as client:
                    return (await client.get("/openapi.json")).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            await eventually(answers, bool, timeout=30)
        except AssertionError:
            raise AssertionError(
                f"{self.name} does not answer on {self.url}:\n{self.process.tail()}"
            ) from None


class CouncilServices:
    """The services of one scenario, started together (in parallel) and stopped together."""

    def __init__(self, *services: RunningService) -> None:
        self.services = {service.name: service for service in services}

    def __getitem__(self, name: str) -> RunningService:
        return self.services[name]

    async def start(self) -> CouncilServices:
        # Started in threads so that the event loop (and anything it serves, such as an agent's SFTP server)
        # keeps running while the processes import and connect.
        for outcome in (
            *await asyncio.gather(
                *(asyncio.to_thread(service.start) for service in self.services.values()),
                return_exceptions=True,
            ),
            *await asyncio.gather(
                *(service.serving_http() for service in self.services.values()), return_exceptions=True
            ),
        ):
            if isinstance(outcome, BaseException):
                raise outcome  # every process has been started (or failed) by now, so stop() reaches them all
        return self

    def stop(self) -> None:
        """SIGTERM to every process at once, then wait for each to finish cleanly."""
        with ThreadPoolExecutor(max_workers=len(self.services)) as stopping:
            list(stopping.map(lambda service: service.process.stop(), self.services.values()))

    def logs(self) -> str:
        """The end of every service's log, for a failure message."""
        return "\n".join(f"--- {name}\n{s.process.tail(3000)}" for name, s in self.services.items())

    async def settled(self, quiet_seconds: float = 0.3) -> None:
        """Wait until the day's work has run its course: every service has published all it wrote to its
        outbox and none has taken in a message for a moment. Days pass between steps in a council, so a scenario
        that moves the date only once the services are quiet sees what a council would."""
        outboxes = " + ".join(
            f"(SELECT count(*) FROM {name}.outbox WHERE published_at IS NULL)" for name in self.services
        )
        latest = ", ".join(f"(SELECT max(received_at) FROM {name}.inbox)" for name in self.services)
        sql = (
            f"SELECT {outboxes} AS unpublished, "
            f"extract(epoch FROM clock_timestamp() - greatest({latest})) AS quiet_for"
        )
        connection = await database()
        try:
            await eventually(
                lambda: connection.fetchrow(sql),
                lambda found: (
                    found["unpublished"] == 0
                    and (found["quiet_for"] is None or found["quiet_for"] > quiet_seconds)
                ),
                timeout=60,
            )
        finally:
            await connection.close()

    async def business_date_is(self, business_date: date) -> None:
        """Once the services are quiet, move the business date of every running service (as tests and the demo
        do) and wait until each process has taken it."""
        await self.settled()
        await publish(BusinessDateSet(business_date=business_date), producer="test")

        async def every_service_has_it() -> list[str]:
            return [
                name
                for name, service in self.services.items()
                if not any(
                    line.get("event") == "business date set"
                    and line.get("business_date") == business_date.isoformat()
                    for line in service.log_lines()
                )
            ]

        await eventually(every_service_has_it, lambda waiting: not waiting, timeout=20)

    async def court_grants(self, case_id: UUID, heard_on: date, costs_awarded_pence: int = 40_00) -> None:
        """An officer records, through recovery's HTTP API, that the magistrates' court granted the liability
        order on the case's summons (only the court grants one: the timetable never does)."""
        from tests.identity import officer_headers

        async with self["recovery"].client() as client:
            response = await client.post(
                f"/cases/{case_id}/court-outcomes",
                json={
                    "outcome": "granted",
                    "heard_on": heard_on.isoformat(),
                    "court_reference": f"DMC-{case_id.hex[:8]}",
                    "costs_awarded_pence": costs_awarded_pence,
                },
                headers=officer_headers("revenues.officer"),
            )
        assert response.status_code == 201, response.text

    async def daily_run(self, business_date: date) -> dict[str, Any]:
        """Set the business date, request the daily run for it, and wait until every running service that
        takes the daily run has handled it (recovery has finished it). Returns recovery's run record."""
        await self.business_date_is(business_date)
        envelope = await publish(DailyRunRequested(business_date=business_date), producer="scheduler")
        assert envelope is not None
        consumers = [name for name in ("billing", "breathing_space") if name in self.services]
        await handled(envelope.event_id, consumers, timeout=60)
        connection = await database()
        try:
            run = await eventually(
                lambda: connection.fetchrow(
                    "SELECT * FROM recovery.daily_run WHERE run_id = $1 AND finished_at IS NOT NULL",
                    envelope.event_id,
                ),
                lambda row: row is not None,
                timeout=60,
            )
        finally:
            await connection.close()
        return dict(run)


async def handled(event_id: UUID, services: Iterable[str], timeout: float = 30.0) -> None:
    """Wait until each named service has taken in the message (its inbox holds the event id)."""
    services = list(services)
    connection = await database()
    try:
        for service in services:
            sql = f"SELECT count(*) FROM {service}.inbox WHERE event_id = $1"

            async def taken_in(sql: str = sql) -> int:
                return int(await connection.fetchval(sql, event_id))

            await eventually(taken_in, lambda count: count == 1, timeout=timeout)
    finally:
        await connection.close()


async def rows(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows from the test database as dictionaries (tests may read every schema; services never do)."""
    connection = await database()
    try:
        return [dict(row) for row in await connection.fetch(sql, *args)]
    finally:
        await connection.close()


async def row(sql: str, *args: Any) -> dict[str, Any] | None:
    """One row (or None) from the test database."""
    found = await rows(sql, *args)
    return found[0] if found else None
