"""Every routing key the outboxes published during the test session is in the committed AsyncAPI documents.

A pytest plugin (registered by tests/conftest.py). What was published is recorded two ways, both without a test
hook in production code:

- in this process, as each relay publishes: `shared.messaging.relay.publish_batch` (the one call by which an
  `OutboxRelay` sends its rows) is wrapped for the session, and each message the broker confirms is noted with the
  service that published it (its `app_id`);
- for relays in processes of their own (`python -m services.<name>`, `council-debt relay <name>`), which this
  process cannot watch: at the end, the session's outbox tables, whose `published_at` the relay sets once the
  broker has confirmed a row (only rows published since the session started count).

At the end of the session each key must be the address of a `send` operation in the publishing service's
document, docs/asyncapi/<service>.json; otherwise the run fails (exit status 1) naming the keys, and
`council-debt asyncapi` is the fix.

It cannot pass vacuously. A session that ran integration, end-to-end or reliability tests fails when nothing was
recorded although work meant for publishing was done (rows were written to an outbox during the session), and
whenever this process's relays published (`council_debt_relay_published_total` moved) but the wrapper saw none
of it: then the recording, not the documents, is broken. A session whose tests published nothing and wrote no
outbox row at all (tests/integration/messaging alone publishes as council systems do, not through an outbox)
passes and says that nothing was published; a run of only unit tests (no servers) is left alone. Relays of the
reliability tests' private platform (a PostgreSQL of its own) are outside both records. Switch the check off with
`-p no:tests.plugins.published_routing_keys`.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

DOCUMENTS = Path(__file__).resolve().parents[2] / "docs" / "asyncapi"
SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")
PUBLISHING_SUITES = ("tests/integration/", "tests/e2e/", "tests/reliability/")
"""Tests under these folders run against the session's broker and database, so some of them publish."""
FIX = "add the contract to the service's published events and run `council-debt asyncapi`"


class PublishedRoutingKeys:
    """What the session's outboxes published: routing keys by the service whose relay published them."""

    def __init__(self) -> None:
        self.published: dict[str, set[str]] = defaultdict(set)
        self.seen_in_this_process = 0
        self.outbox_rows_written = 0
        self._relay_metric_at_start = 0.0
        self.integration_tests_ran = False
        self.started_at = datetime.now(UTC)
        self.verdict: str | None = None
        self.summary: str | None = None
        self._lock = threading.Lock()
        self._original: Any = None

    def record(self, service: str, routing_key: str) -> None:
        with self._lock:
            self.published[service].add(routing_key)

    # -- watching the relays of this process -------------------------------------------------------------------
    def watch_the_relays(self) -> None:
        from shared.messaging import relay

        original = relay.publish_batch
        recorder = self

        async def publish_batch_and_record(channel: Any, exchange: str, messages: list[Any]) -> list[Any]:
            futures = await original(channel, exchange, messages)
            for message, future in zip(messages, futures, strict=True):
                future.add_done_callback(recorder._on_confirm(message))
            return futures

        self._original = original
        self._relay_metric_at_start = relays_published_in_this_process()
        relay.publish_batch = publish_batch_and_record  # type: ignore[assignment]

    def relays_of_this_process_published(self) -> float:
        """How many messages this process's relays counted as published since watching began."""
        return relays_published_in_this_process() - self._relay_metric_at_start

    def _on_confirm(self, message: Any) -> Any:
        def confirmed(future: asyncio.Future[Any]) -> None:
            import aiormq

            if future.cancelled() or future.exception() is not None:
                return
            if isinstance(future.result(), aiormq.spec.Basic.Ack):
                self.record(message.app_id or "(no service)", message.routing_key)
                self.seen_in_this_process += 1

        return confirmed

    def stop_watching(self) -> None:
        if self._original is not None:
            from shared.messaging import relay

            relay.publish_batch = self._original  # type: ignore[assignment]
            self._original = None

    # -- what the other processes' relays published -----------------------------------------------------------
    def read_the_outboxes(self, database_url: str) -> int:
        """Add the keys of every outbox row published since the session started; returns how many keys."""
        since = self.started_at - timedelta(seconds=5)
        found: list[tuple[str, str]] = []
        failure: list[BaseException] = []

        async def read() -> None:
            import asyncpg

            from shared.persistence.database import asyncpg_dsn

            connection = await asyncpg.connect(asyncpg_dsn(database_url), timeout=10)
            try:
                for service in SERVICES:
                    rows = await connection.fetch(
                        f"SELECT DISTINCT routing_key FROM {service}.outbox WHERE published_at >= $1", since
                    )
                    found.extend((service, row["routing_key"]) for row in rows)
                    self.outbox_rows_written += await connection.fetchval(
                        f"SELECT count(*) FROM {service}.outbox WHERE created_at >= $1", since
                    )
            finally:
                await connection.close()

        def in_a_thread() -> None:  # a loop of its own, whatever pytest-asyncio left on this thread
            try:
                asyncio.run(read())
            except BaseException as error:
                failure.append(error)

        thread = threading.Thread(target=in_a_thread)
        thread.start()
        thread.join()
        if failure:
            raise failure[0]
        for service, key in found:
            self.record(service, key)
        return len(found)


def documented_publications(folder: Path = DOCUMENTS) -> dict[str, set[str]]:
    """The routing keys each service's committed document says it publishes (its `send` operations)."""
    documented: dict[str, set[str]] = {}
    for service in SERVICES:
        document = json.loads((folder / f"{service}.json").read_text())
        channels = document.get("channels", {})
        documented[service] = {
            channels[operation["channel"]["$ref"].rsplit("/", 1)[-1]]["address"]
            for operation in document.get("operations", {}).values()
            if operation.get("action") == "send"
        }
    return documented


def undocumented(published: Mapping[str, Iterable[str]], documented: Mapping[str, set[str]]) -> list[str]:
    """`service: routing key` for each key published that its service's document does not list."""
    return sorted(
        f"{service}: {key}"
        for service, keys in published.items()
        for key in keys
        if key not in documented.get(service, set())
    )


def verdict(
    published: Mapping[str, Iterable[str]],
    documented: Mapping[str, set[str]],
    *,
    integration_tests_ran: bool,
    outbox_rows_written: int = 0,
    relays_here_published: float = 0,
    confirmed_here: int = 0,
) -> str | None:
    """Why the session must fail, or None when every key published is documented (and the record is whole)."""
    missing = undocumented(published, documented)
    if missing:
        return (
            "routing keys published by the outbox during this session are missing from docs/asyncapi "
            f"({FIX}):\n  " + "\n  ".join(missing)
        )
    if relays_here_published > 0 and confirmed_here == 0:
        return (
            f"this process's relays published {relays_here_published:.0f} messages but none was recorded: is "
            "the relay still publishing through shared.messaging.relay.publish_batch?"
        )
    if integration_tests_ran and outbox_rows_written and not any(published.values()):
        return (
            f"integration tests wrote {outbox_rows_written} outbox rows but no routing key published by an "
            "outbox was recorded: the check of docs/asyncapi would pass without looking at anything (did no "
            "relay run, or is published_at no longer set?)"
        )
    return None


def relays_published_in_this_process() -> float:
    """`council_debt_relay_published_total` summed over this process's relays."""
    from shared.metrics import RELAY_PUBLISHED

    return sum(
        sample.value
        for metric in RELAY_PUBLISHED.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


_recorder: PublishedRoutingKeys | None = None
"""This session's record (none in an xdist worker)."""


def pytest_configure(config: pytest.Config) -> None:
    global _recorder
    if not hasattr(config, "workerinput"):
        _recorder = PublishedRoutingKeys()


def pytest_sessionstart(session: pytest.Session) -> None:
    if _recorder is not None:  # after every pytest_configure: the session's servers and settings are set
        _recorder.started_at = datetime.now(UTC)
        _recorder.watch_the_relays()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if (
        _recorder is not None
        and report.when == "call"
        and not report.skipped
        and report.nodeid.startswith(PUBLISHING_SUITES)
    ):
        _recorder.integration_tests_ran = True


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    recorder = _recorder
    if recorder is None:
        return
    recorder.stop_watching()
    if not recorder.integration_tests_ran and not recorder.published:
        return  # unit tests only: nothing published, nothing to check
    from_tables = 0
    database_url = os.environ.get("DATABASE_URL")
    try:
        if recorder.integration_tests_ran and database_url:
            from_tables = recorder.read_the_outboxes(database_url)
        recorder.verdict = verdict(
            recorder.published,
            documented_publications(),
            integration_tests_ran=recorder.integration_tests_ran,
            outbox_rows_written=recorder.outbox_rows_written,
            relays_here_published=recorder.relays_of_this_process_published(),
            confirmed_here=recorder.seen_in_this_process,
        )
    except Exception as error:
        recorder.verdict = f"could not check the routing keys published against docs/asyncapi: {error!r}"
    keys = sum(len(k) for k in recorder.published.values())
    recorder.summary = (
        f"{keys} routing keys published by {len([s for s, k in recorder.published.items() if k])} services' "
        f"outboxes ({recorder.seen_in_this_process} messages confirmed to this process's relays, "
        f"{from_tables} keys read from the outbox tables, {recorder.outbox_rows_written} outbox rows written)"
    )
    if recorder.verdict and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    recorder = _recorder
    if recorder is None or recorder.summary is None:
        return
    if recorder.verdict:
        terminalreporter.section("routing keys published vs docs/asyncapi", sep="=", red=True, bold=True)
        terminalreporter.write_line(recorder.verdict, red=True)
        terminalreporter.write_line(recorder.summary)
    elif any(recorder.published.values()):
        terminalreporter.write_line(f"docs/asyncapi lists every one of the {recorder.summary}", green=True)
    else:
        terminalreporter.write_line(
            f"nothing was published through an outbox in this session: {recorder.summary}"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    global _recorder
    if _recorder is not None:
        _recorder.stop_watching()
    _recorder = None
