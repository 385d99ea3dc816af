"""Every kind of process the test fixtures start answers an orchestrator and a scraper as it would in production:
`/healthz` (alive), `/readyz` (ready, and not while its database or broker is unreachable), `/metrics` for the
monitoring role only, and a metric that moves when the process does some work.

The kinds of process the fixtures start (tests/conftest.py and the fixtures under tests/), and where each is
checked:

- a service, `python -m services.<name>` (tests/service_processes.py: the end-to-end scenarios, the workbench's
  council, breathing space's process test, the crash and fault tests): here, each of the five with HTTP_PORT set,
  its in-process relay, its inbox and the background work it runs (breathing space's intake from the HTTPS
  endpoint, the watched folder and the queue; the gateway's placement schedule and SFTP polling; recovery's own
  daily-run scheduler) all in that one process. Started without HTTP_PORT (the reliability tests) it serves no
  HTTP by design: its work shows in the database and its log only.
- a service's runtime inside the test process (`bootstrap().runtime`, `ServiceRuntime`, the write-off pages on
  an in-process uvicorn): the same app (`served_http_app`), checked in test_health_readiness_and_metrics.py.
- the officers' workbench, `python -m services.workbench`: here. It has no database or broker, so its `/readyz`
  is ready while it runs, and its `/metrics` are the process's own (CPU, memory, open files).
- an outbox relay on its own, `council-debt relay <service>` (RELAY_IN_PROCESS=false): here, with readiness
  refused for an unreachable database and an unreachable broker (probes and scrape also in
  test_a_relay_process_answers_its_probes.py).
- one-shot commands, which are jobs and serve no HTTP (they exit when done): `council-debt billing
  council-tax-run` and the billing, breathing space, recovery (`daily-run`, `request-due-daily-runs`,
  `print-run`, `purge-letters`, the case record) and write-off report commands. None runs as a server.
- not the platform's processes, so not probed: the agents' SFTP servers (tests/e2e/the_agent.py, the gateway's
  simulator), the identity provider (Node.js), RabbitMQ, PostgreSQL and Chromium.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.breathing_space import BreathingSpaceHoldEnded
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.recovery import RecoveryConfirmedHold
from tests.council_bus import database, eventually, publish
from tests.e2e.council_services import a_free_port
from tests.identity import officer_headers, system_headers
from tests.service_processes import ServiceProcess

PROJECT = Path(__file__).resolve().parents[3]
UNREACHABLE_DATABASE = "postgresql+asyncpg://council:council@127.0.0.1:9/council_debt"
UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:9/"


def _sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus' text format (0 before it first moves)."""
    for line in metrics.splitlines():
        if line.startswith((f"{name}{{", f"{name} ")) and all(
            f'{k}="{v}"' in line for k, v in labels.items()
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def a_moratorium_with_no_council_debts_ended() -> BreathingSpaceHoldEnded:
    """A moratorium nobody here holds a debt under, cancelled: each service that applies holds takes it in, finds
    nothing of its own to release, and (billing, recovery, the gateway) confirms the hold version."""
    return BreathingSpaceHoldEnded(
        moratorium_reference=f"BS-PROBE-{uuid4().hex[:12]}",
        hold_version=1,
        how="cancelled",
        last_protected_day=date(2026, 5, 1),
        debt_ids=[],
    )


WORK: dict[str, tuple[Contract, str]] = {
    # service: (a message it takes in and acts on, the routing key of its queue)
    "billing": (a_moratorium_with_no_council_debts_ended(), "breathing_space.hold.ended"),
    "recovery": (a_moratorium_with_no_council_debts_ended(), "breathing_space.hold.ended"),
    "agents_gateway": (a_moratorium_with_no_council_debts_ended(), "breathing_space.hold.ended"),
    "writeoff": (a_moratorium_with_no_council_debts_ended(), "breathing_space.hold.ended"),
    "breathing_space": (
        BillingConfirmedHold(
            moratorium_reference=f"BS-PROBE-{uuid4().hex[:12]}", hold_version=1, confirmed_debt_ids=[]
        ),
        "billing.breathing_space_hold.confirmed",
    ),
}
CONFIRMS_HOLDS = {"billing", "recovery", "agents_gateway"}
"""The services whose work here also goes out through their outbox (their confirmation of the hold version)."""


async def _answers(client: httpx.AsyncClient, path: str) -> int:
    try:
        return (await client.get(path)).status_code
    except httpx.HTTPError:
        return 0


async def _scrape(client: httpx.AsyncClient) -> str:
    answer = await client.get("/metrics", headers=system_headers("monitoring"))
    assert answer.status_code == 200, answer.text
    return answer.text


async def _only_the_monitoring_roles_scrape(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/metrics")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    assert (await client.get("/metrics", headers=officer_headers("revenues.officer"))).status_code == 403
    assert (await client.get("/metrics", headers=system_headers("monitoring"))).status_code == 200


@asynccontextmanager
async def _serving(
    process: ServiceProcess, port: int, *, exits_cleanly: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    await asyncio.to_thread(process.start, 60.0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            await eventually(lambda: _answers(client, "/healthz"), lambda status: status == 200, timeout=30)
            yield client
    finally:
        await asyncio.to_thread(process.stop)
    if exits_cleanly:
        assert process.process is not None and process.process.returncode == 0, process.tail()


@pytest.mark.parametrize("service", list(WORK))
async def test_a_service_process_is_alive_ready_scraped_and_its_metrics_move_with_its_work(
    service: str,
) -> None:
    port = a_free_port()
    message, routing_key = WORK[service]
    queue = f"{service}.{routing_key}"
    async with _serving(ServiceProcess(service, HTTP_PORT=str(port)), port) as client:
        assert (await client.get("/healthz")).json() == {"status": "alive", "service": service}
        await eventually(lambda: _answers(client, "/readyz"), lambda status: status == 200, timeout=30)
        assert (await client.get("/readyz")).json() == {
            "ready": True,
            "service": service,
            "database": True,
            "broker": True,
            "consuming": True,
        }
        await _only_the_monitoring_roles_scrape(client)

        before = await _scrape(client)
        handled = _sample(before, "council_debt_inbox_deliveries_total", queue=queue, outcome="handled")
        published = _sample(before, "council_debt_relay_published_total", service=service)
        await publish(message)
        after = await eventually(
            lambda: _scrape(client),
            lambda text: (
                _sample(text, "council_debt_inbox_deliveries_total", queue=queue, outcome="handled") > handled
                and (
                    service not in CONFIRMS_HOLDS
                    or _sample(text, "council_debt_relay_published_total", service=service) > published
                )
            ),
            timeout=30,
        )
    # More than one when the queue also held the message another service's test here published to the same key.
    assert (
        _sample(after, "council_debt_inbox_deliveries_total", queue=queue, outcome="handled") >= handled + 1
    )
    assert _sample(after, "council_debt_inbox_batch_size_count", queue=queue) >= 1


async def test_a_service_process_whose_database_is_unreachable_is_alive_but_not_ready() -> None:
    port = a_free_port()
    process = ServiceProcess("writeoff", HTTP_PORT=str(port), DATABASE_URL=UNREACHABLE_DATABASE)
    async with _serving(process, port) as client:
        answer = await client.get("/readyz")
        assert (await client.get("/healthz")).status_code == 200
    assert answer.status_code == 503
    assert answer.json()["database"] is False and answer.json()["broker"] is True


async def test_the_workbench_process_is_alive_ready_scraped_and_its_metrics_move_as_it_serves() -> None:
    port = a_free_port()
    nowhere = f"http://127.0.0.1:{a_free_port()}"  # its services need not answer for it to run
    process = ServiceProcess(
        "workbench",
        HTTP_PORT=str(port),
        AUTH_CLIENT_ID="workbench",
        **{f"WORKBENCH_{name.upper()}_URL": nowhere for name in WORK},
    )
    # uvicorn's own signal handling re-raises SIGTERM once it has shut down: the workbench ends by it, not 0.
    async with _serving(process, port, exits_cleanly=False) as client:
        assert (await client.get("/healthz")).json() == {"status": "alive", "service": "workbench"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"ready": True, "service": "workbench"}
        await _only_the_monitoring_roles_scrape(client)
        cpu = _sample(await _scrape(client), "process_cpu_seconds_total")

        async def served() -> str:
            for _ in range(20):  # pages and assets, as officers' browsers ask for them
                assert (await client.get("/static/workbench.css")).status_code == 200
                await client.get("/")
            return await _scrape(client)

        await eventually(served, lambda text: _sample(text, "process_cpu_seconds_total") > cpu, timeout=60)


@contextmanager
def _relay_process(service: str, port: int, **environment: str) -> Iterator[subprocess.Popen[bytes]]:
    relay = subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", "relay", service],
        cwd=PROJECT,
        env={**os.environ, "HTTP_PORT": str(port), "LOG_LEVEL": "WARNING", **environment},
    )
    try:
        yield relay
        relay.send_signal(signal.SIGTERM)
        assert relay.wait(20) == 0
    finally:
        if relay.poll() is None:
            relay.kill()
            relay.wait(10)


async def test_a_relay_process_publishes_what_its_service_committed_and_its_metric_moves() -> None:
    port = a_free_port()
    with _relay_process("recovery", port):
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            await eventually(lambda: _answers(client, "/readyz"), lambda status: status == 200, timeout=30)
            await _only_the_monitoring_roles_scrape(client)
            published = _sample(
                await _scrape(client), "council_debt_relay_published_total", service="recovery"
            )
            # What recovery commits when it has held no case under a moratorium: its confirmation of the hold.
            confirmation = Envelope.wrap(
                RecoveryConfirmedHold(
                    moratorium_reference=f"BS-PROBE-{uuid4().hex[:12]}", hold_version=1, confirmed_debt_ids=[]
                ),
                producer="recovery",
            )
            connection = await database()
            try:
                await connection.execute(
                    "INSERT INTO recovery.outbox (event_id, routing_key, body) VALUES ($1, $2, $3)",
                    confirmation.event_id,
                    confirmation.type,
                    confirmation.to_bytes(),
                )
            finally:
                await connection.close()
            await eventually(
                lambda: _scrape(client),
                lambda text: (
                    _sample(text, "council_debt_relay_published_total", service="recovery") > published
                ),
                timeout=30,
            )


@pytest.mark.parametrize(
    ("unreachable", "environment"),
    [("database", {"DATABASE_URL": UNREACHABLE_DATABASE}), ("broker", {"AMQP_URL": UNREACHABLE_BROKER})],
)
async def test_a_relay_process_is_not_ready_while_its_database_or_broker_is_unreachable(
    unreachable: str, environment: dict[str, str]
) -> None:
    port = a_free_port()
    with _relay_process("billing", port, **environment):
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            await eventually(lambda: _answers(client, "/healthz"), lambda status: status == 200, timeout=30)
            answer = await client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()[unreachable] is False
    assert answer.json()["database" if unreachable == "broker" else "broker"] is True
