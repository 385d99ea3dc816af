"""Breathing space latency: from a notification arriving to every service confirming its hold, with other traffic
flowing on the broker.

Run: .venv/bin/python -m benchmarks.breathing_space_latency [notifications] [background_events_per_second] [mode]
[relays] (defaults 100, 2000, `services` and `in-process`; target p99 < 1 s). Relays `beside` runs each service's
outbox relay as a process of its own, as `run-system` does.

1. Starts the REAL billing, recovery, agents gateway and breathing space services, each as its own process
   (`python -m services.<name>`), on private RabbitMQ and PostgreSQL (`benchmark_servers()`).
2. A council system raises three debts (council tax, sundry, housing benefit overpayment) for each person
   through billing (`council_systems.charge.requested`); billing registers the customers and raises the debts,
   and every service builds its projection from billing's events.
3. Background traffic at the requested rate, published with confirms throughout the measurement by a process of
   its own (several channels, a wide confirm window); the rate the broker actually confirmed is printed, and so
   is what each service had not yet consumed when the measurement ended. Mode
   `services`: balance changes for those debts published as billing publishes them, each on its own
   (`billing.balance.changed`, which no service consumes) and stated together (`billing.balances.changed`,
   `CHANGES_PER_STATEMENT` to a message, as billing states a batch of payments' changes), consumed by recovery,
   the agents gateway and breathing space (they do the work). Mode `broker`: the same messages under another routing key, on a durable quorum
   queue drained by a stand-in consumer (the broker does the work, the services only share it). Mode `fan-out`:
   the same messages under another routing key, on three durable quorum queues (one per consuming service), each
   drained by a stand-in process that only acknowledges (`stand_in_consumers.py`): the limit of this machine and
   broker for the services' traffic, what no service could do with less.
4. Each person then enters a standard breathing space notified for the council tax only, pushed one at a time
   (about 5 a second) to breathing space's signed HTTPS endpoint (plain HTTP on loopback, through uvicorn).
   Latency = from just before the POST to the moment the last of `billing.`, `recovery.` and
   `agents_gateway.breathing_space_hold.confirmed` for that moratorium's hold version 1 is heard on the broker.
   The hold covers all three debts (two found by the search and reported back).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID, uuid4

import aio_pika
import asyncpg
import httpx
import psutil

from benchmarks.cpu_shares import CpuShares, listening_process
from benchmarks.infrastructure import benchmark_servers
from benchmarks.stand_in_consumers import STAND_INS, StandInConsumers, stand_in_queue
from services.breathing_space.domain.request_authentication import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign_request,
)
from shared.contracts.billing import BalanceChanged, BalancesChanged
from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress
from shared.contracts.envelope import Envelope
from shared.messaging.confirmed_publishing import OutgoingMessage, publish_batch
from shared.persistence.database import asyncpg_dsn

PROJECT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret"
BUSINESS_DATE = date(2026, 5, 10)
CONFIRMING = ("billing", "recovery", "agents_gateway")
DEBTS = (
    ("CT", "council_tax", 84_217),
    ("INV", "sundry", 12_500),
    ("HB", "housing_benefit_overpayment", 63_040),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_service(
    name: str, environment: dict[str, str], *, relay_only: bool = False
) -> tuple[subprocess.Popen[bytes], Path]:
    log = Path(tempfile.mkstemp(prefix=f"{name}-{'relay-' if relay_only else ''}latency-", suffix=".log")[1])
    command = ["-m", "deploy.cli", "relay", name] if relay_only else ["-m", f"services.{name}"]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, *command],
            cwd=PROJECT,
            env=environment,
            stdout=out,
            stderr=out,
        )
    return process, log


# A queue each service consumes: the service is ready once it has a consumer there.
READY_QUEUE = {
    "billing": "billing.council_systems.charge.requested",
    "recovery": "recovery.billing.debt.raised",
    "agents_gateway": "agents_gateway.breathing_space.hold.started",
    "breathing_space": "breathing_space.billing.debt.raised",
}


async def wait_started(amqp_url: str, name: str, process: subprocess.Popen[bytes], log: Path) -> None:
    connection = await aio_pika.connect(amqp_url)
    deadline = time.monotonic() + 90
    try:
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start ({process.returncode}); its log: {log}")
            channel = await connection.channel()
            try:
                queue = await channel.declare_queue(READY_QUEUE[name], passive=True)
                if (queue.declaration_result.consumer_count or 0) > 0:
                    return
            except aio_pika.exceptions.ChannelClosed:
                pass  # not declared yet
            finally:
                if not channel.is_closed:
                    await channel.close()
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


def person(n: int) -> LiableParty:
    return LiableParty(
        kind="person",
        first_names=f"Joanne{_letters(n)}",
        surname=f"Fletcher{_letters(n * 7 + 3)}",
        date_of_birth=date(1950, 1, 1).replace(year=1950 + n % 50, month=1 + n % 12, day=1 + n % 28),
        address=PostalAddress(lines=[f"{n} Abbey Street", "Derby"], postcode=f"DE{1 + n % 99} {n % 10}AB"),
    )


def _letters(n: int) -> str:
    text = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        text = chr(97 + r) + text
    return text


async def publish_all(
    channel: aio_pika.abc.AbstractChannel, exchange, envelopes: list[Envelope], routing_key: str | None = None
) -> None:
    await asyncio.gather(
        *(
            exchange.publish(
                aio_pika.Message(e.to_bytes(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=routing_key or e.type,
            )
            for e in envelopes
        )
    )


OTHER_TRAFFIC = "benchmark.other_traffic.happened"


async def drain_other_traffic(amqp_url: str) -> aio_pika.abc.AbstractConnection:
    """Stands for the other services' consumers in `broker` mode: a durable quorum queue of the background
    traffic, consumed and acknowledged as fast as it comes."""
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=500)
    exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(
        "benchmark.other_traffic", durable=True, arguments={"x-queue-type": "quorum"}
    )
    await queue.bind(exchange, routing_key=OTHER_TRAFFIC)

    async def consume(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        await message.ack()

    await queue.consume(consume)
    return connection


async def raise_debts(amqp_url: str, people: int, run: str) -> None:
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
    envelopes = [
        Envelope.wrap(
            ChargeRequested(
                external_reference=f"{prefix}-{run}-{n}",
                requesting_system="benchmark",
                originating_service="Revenues",
                debt_type=debt_type,
                amount_pence=amount,
                liable_parties=[person(n)],
                raised_on=date(2026, 4, 1),
                income_code="CT01",
                evidence_reference="bill",
            ),
            producer="council_systems",
        )
        for n in range(people)
        for prefix, debt_type, amount in DEBTS
    ]
    for offset in range(0, len(envelopes), 500):
        await publish_all(channel, exchange, envelopes[offset : offset + 500])
    await connection.close()


async def wait_for(database: asyncpg.Connection, sql: str, target: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while (value := await database.fetchval(sql)) < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{sql}: {value} of {target}")
        await asyncio.sleep(0.2)


def _interest_restated(debt: tuple) -> BalanceChanged:
    """A balance change that leaves the debt's balance as it was (the traffic must not settle anything)."""
    debt_id, customer_id, debt_type, balance = debt
    return BalanceChanged(
        debt_id=debt_id,
        customer_ids=[customer_id],
        debt_type=debt_type,
        balance_pence=balance,
        change_pence=0,
        cause="interest",
        as_of=BUSINESS_DATE,
    )


class BackgroundTraffic:
    """Balance changes for existing debts at a steady rate, with publisher confirms, as billing publishes them
    (each on its own and stated together); in `broker` and `fan-out` modes one message per change under a routing
    key only the stand-ins read.

    Every 50 ms a tick's worth of messages goes out, spread over several confirming channels with a wide window of
    unconfirmed batches, so that the rate never waits on the broker's fsyncs; messages are published with the
    low-level channel (no per-message objects beyond the frame). `published` counts confirmed messages only."""

    CHANNELS = 4
    TICK = 0.05
    CHANGES_PER_STATEMENT = 100
    """Balance changes in one `BalancesChanged`: billing states each transaction's changes together, and at
    these rates its inbox takes payments 128 at a time (half the prefetch), so billing's own would be larger."""
    IN_FLIGHT_TICKS = (
        40  # unconfirmed ticks allowed (2 s of traffic) before the generator waits for the broker
    )

    def __init__(self, amqp_url: str, rate: int, debts: list[tuple], mode: str) -> None:
        self.amqp_url, self.rate, self.debts = amqp_url, rate, debts
        self.routing_key = OTHER_TRAFFIC if mode in ("broker", "fan-out") else None
        self.published = 0
        self.running = True

    async def run(self) -> None:
        connection = await aio_pika.connect(self.amqp_url)
        channels = []
        for _ in range(self.CHANNELS):
            channel = await connection.channel(publisher_confirms=True)
            await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
            channels.append(await channel.get_underlay_channel())
        per_tick = max(1, round(self.rate * self.TICK))
        in_flight = asyncio.Semaphore(self.IN_FLIGHT_TICKS)
        pending: set[asyncio.Task[None]] = set()
        next_at = time.perf_counter()
        n = 0

        placeholder = "00000000-0000-4000-8000-000000000000"
        templates = [
            Envelope.wrap(_interest_restated(debt), producer="billing", event_id=UUID(placeholder)).to_bytes()
            for debt in self.debts
        ]
        routing_key = self.routing_key or BalanceChanged.message_type
        states_together = self.routing_key is None  # as billing does; the stand-in modes keep one per change
        statements: dict[tuple[int, int], bytes] = {}

        def statement(start: int, count: int) -> bytes:
            """The statement of `count` changes from the `start`th debt on (made once per window, then reused)."""
            key = (start % len(self.debts), count)
            if key not in statements:
                changes = [
                    _interest_restated(self.debts[(start + i) % len(self.debts)]) for i in range(count)
                ]
                statements[key] = Envelope.wrap(
                    BalancesChanged(changes=changes), producer="billing", event_id=UUID(placeholder)
                ).to_bytes()
            return statements[key]

        async def send(channel, bodies: list[tuple[str, bytes]], stated: list[tuple[str, bytes]]) -> None:
            # A tick's messages in one write, as the relays publish: the traffic source should cost the machine
            # as little CPU as the services' own relays would.
            try:
                outgoing = [OutgoingMessage(routing_key, body, event_id) for event_id, body in bodies]
                outgoing += [
                    OutgoingMessage(BalancesChanged.message_type, body, event_id) for event_id, body in stated
                ]
                await asyncio.gather(*await publish_batch(channel, "council.events", outgoing))
                self.published += len(bodies)
            finally:
                in_flight.release()

        tick = 0
        while self.running:
            # Each message its own event id (the inbox would absorb repeats), without rebuilding the JSON.
            bodies = []
            for i in range(per_tick):
                event_id = str(uuid4())
                bodies.append(
                    (
                        event_id,
                        templates[(n + i) % len(templates)].replace(placeholder.encode(), event_id.encode()),
                    )
                )
            stated = []
            if states_together:
                for start in range(0, per_tick, self.CHANGES_PER_STATEMENT):
                    event_id = str(uuid4())
                    count = min(self.CHANGES_PER_STATEMENT, per_tick - start)
                    body = statement(n + start, count).replace(placeholder.encode(), event_id.encode())
                    stated.append((event_id, body))
            n += per_tick
            await in_flight.acquire()
            task = asyncio.create_task(send(channels[tick % len(channels)], bodies, stated))
            tick += 1
            pending.add(task)
            task.add_done_callback(pending.discard)
            next_at += self.TICK
            await asyncio.sleep(max(0, next_at - time.perf_counter()))
        await asyncio.gather(*pending)
        await connection.close()


class TrafficProcess:
    """The background traffic in a process of its own, so that its publishing never delays the clock readings of
    the notifications and confirmations measured here (they share no event loop); `published` is read across."""

    def __init__(self, amqp_url: str, rate: int, debts: list[tuple], mode: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._published = context.Value("q", 0)
        self._stop = context.Event()
        self._process = context.Process(
            target=_generate_traffic,
            args=(amqp_url, rate, debts, mode, self._published, self._stop),
            name="background-traffic",
        )

    @property
    def published(self) -> int:
        """Messages the broker has confirmed so far."""
        return self._published.value

    def start(self) -> None:
        self._process.start()

    @property
    def pid(self) -> int | None:
        """The traffic process's id, once started."""
        return self._process.pid

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.to_thread(self._process.join, 60)


def _generate_traffic(amqp_url: str, rate: int, debts: list[tuple], mode: str, published, stop) -> None:
    async def generate() -> None:
        traffic = BackgroundTraffic(amqp_url, rate, debts, mode)
        task = asyncio.create_task(traffic.run())
        while not stop.is_set() and not task.done():
            published.value = traffic.published
            await asyncio.sleep(0.05)
        traffic.running = False
        await task
        published.value = traffic.published

    asyncio.run(generate())


class ConfirmationListener:
    """When each confirming service's confirmation of each moratorium's hold version 1 is heard."""

    def __init__(self, amqp_url: str) -> None:
        self.amqp_url = amqp_url
        self.heard: dict[str, dict[str, float]] = {}
        self.started: dict[str, float] = {}

    async def start(self) -> None:
        self.connection = await aio_pika.connect(self.amqp_url)
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for service in CONFIRMING:
            await queue.bind(exchange, routing_key=f"{service}.breathing_space_hold.confirmed")
        await queue.bind(exchange, routing_key="breathing_space.hold.started")

        async def hear(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            at = time.perf_counter()
            await message.ack()
            envelope = json.loads(message.body)
            data = envelope["data"]
            if data.get("hold_version") != 1:
                return
            if envelope["type"] == "breathing_space.hold.started":
                self.started[data["moratorium_reference"]] = at
            else:
                self.heard.setdefault(data["moratorium_reference"], {})[envelope["type"].split(".")[0]] = at

        await queue.consume(hear)

    def confirmed_by_all(self, moratorium: str) -> float | None:
        found = self.heard.get(moratorium, {})
        return max(found.values()) if len(found) == len(CONFIRMING) else None


async def _backlog(amqp_url: str, stand_ins: bool = False) -> str:
    """Messages of balance changes each service (or its stand-in) had not yet consumed when the measurement ended
    (did they keep up?): statements of up to `BackgroundTraffic.CHANGES_PER_STATEMENT` changes for the services,
    one change each for the stand-ins."""
    connection = await aio_pika.connect(amqp_url)
    try:
        counts = []
        for service in STAND_INS:
            channel = await connection.channel()
            name = stand_in_queue(service) if stand_ins else f"{service}.{BalancesChanged.message_type}"
            queue = await channel.declare_queue(name, passive=True)
            counts.append(f"{service} {queue.declaration_result.message_count}")
            await channel.close()
        return ", ".join(counts)
    finally:
        await connection.close()


def notification(moratorium: str, n: int, run: str) -> bytes:
    who = person(n)
    return json.dumps(
        {
            "schema_version": "1",
            "kind": "new_standard_breathing_space",
            "notification_reference": f"ISN-{moratorium}",
            "version": 1,
            "moratorium_reference": moratorium,
            "issued_at": datetime.now(UTC).isoformat(),
            "debtor": {
                "forenames": who.first_names,
                "surname": who.surname,
                "date_of_birth": who.date_of_birth.isoformat() if who.date_of_birth else None,
                "current_address": {"lines": who.address.lines[:1], "postcode": who.address.postcode},
            },
            "debts": [
                {"creditor_reference": f"CT-{run}-{n}", "debt_type": "council_tax", "amount_pence": 84_217}
            ],
            "start_date": "2026-05-04",
        }
    ).encode()


def signed(body: bytes) -> dict[str, str]:
    nonce, stamp = uuid4().hex, str(int(time.time()))
    return {
        TIMESTAMP_HEADER: stamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign_request(SECRET.encode(), stamp, nonce, body),
        "content-type": "application/json",
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def cpu_shares(
    amqp_url: str,
    database_url: str,
    services: list[tuple[str, subprocess.Popen[bytes], Path]],
    traffic: TrafficProcess,
    stand_ins: StandInConsumers | None,
) -> CpuShares:
    """Every process of the run by what it is: the broker, PostgreSQL, each service, the traffic source, the
    stand-ins and this process (the notifications and the listener)."""
    groups: dict[str, list[psutil.Process]] = {}
    for name, url in (("broker", amqp_url), ("postgres", database_url)):
        if (server := listening_process(url)) is not None:
            groups[name] = [server]
    for name, process, _ in services:
        groups[name] = [psutil.Process(process.pid)]
    if traffic.pid is not None:
        groups["traffic source"] = [psutil.Process(traffic.pid)]
    if stand_ins is not None:
        groups["stand-ins"] = [psutil.Process(pid) for pid in stand_ins.pids]
    groups["benchmark"] = [psutil.Process()]
    return CpuShares(groups, with_children=frozenset({"broker", "postgres"}))


async def main(notifications: int, background_rate: int, mode: str, relays: str) -> None:
    amqp_url, database_url = benchmark_servers()
    port = _free_port()
    environment = {
        **os.environ,
        "AMQP_URL": amqp_url,
        "DATABASE_URL": database_url,
        "PREFETCH": os.environ.get("BENCH_PREFETCH", "256"),
        "BUSINESS_DATE": BUSINESS_DATE.isoformat(),
        "LOG_LEVEL": os.environ.get("SERVICE_LOG_LEVEL", "WARNING"),
        "LOG_FORMAT": "json",
        "BREATHING_SPACE_SIGNING_SECRET": SECRET,
        "RELAY_IN_PROCESS": "true" if relays == "in-process" else "false",
    }
    processes = []
    relay_processes = []
    for name in ("billing", "recovery", "agents_gateway", "breathing_space"):
        extra = {"HTTP_PORT": str(port)} if name == "breathing_space" else {}
        processes.append((name, *start_service(name, {**environment, **extra})))
        if relays == "beside":
            relay_processes.append((f"{name} relay", *start_service(name, environment, relay_only=True)))
    database = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        for name, process, log in processes:
            await wait_started(amqp_url, name, process, log)
        print(
            "confirming services: the real billing, recovery and agents_gateway services, one process each; "
            + (
                "each outbox relay inside its service's process"
                if relays == "in-process"
                else "each outbox relay a process of its own beside its service (as run-system runs them)"
            )
        )

        run = uuid4().hex[:6]
        started = time.perf_counter()
        await raise_debts(amqp_url, notifications, run)
        await wait_for(
            database,
            "SELECT count(*) FROM breathing_space.debt WHERE external_reference IS NOT NULL",
            3 * notifications,
        )
        await wait_for(database, "SELECT count(*) FROM breathing_space.customer", notifications)
        print(
            f"{3 * notifications} debts of {notifications} people raised through billing in "
            f"{time.perf_counter() - started:.1f} s"
        )
        rows = await database.fetch(
            "SELECT debt_id, customer_ids[1] AS customer_id, debt_type, balance_pence FROM breathing_space.debt"
        )
        traffic = TrafficProcess(amqp_url, background_rate, [tuple(r) for r in rows], mode)
        sink = await drain_other_traffic(amqp_url) if mode == "broker" else None
        stand_ins = None
        if mode == "fan-out":
            stand_ins = StandInConsumers(amqp_url, OTHER_TRAFFIC, int(environment["PREFETCH"]))
            await stand_ins.start()
        listener = ConfirmationListener(amqp_url)
        await listener.start()
        if background_rate > 0:
            traffic.start()
        await asyncio.sleep(3)  # let the background traffic settle to its rate

        shares = cpu_shares(amqp_url, database_url, processes + relay_processes, traffic, stand_ins)
        shares.start()
        measured_from = time.perf_counter()
        published_before = traffic.published
        sent: dict[str, float] = {}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for n in range(notifications):
                moratorium = f"BS-{run}-{n}"
                body = notification(moratorium, n, run)
                headers = signed(body)
                sent[moratorium] = time.perf_counter()
                response = await client.post("/notifications", content=body, headers=headers)
                if response.status_code != 202:
                    raise RuntimeError(f"notification refused: {response.status_code} {response.text}")
                await asyncio.sleep(0.2)
        deadline = time.monotonic() + 60
        while any(listener.confirmed_by_all(m) is None for m in sent) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        measured_for = time.perf_counter() - measured_from
        background = (traffic.published - published_before) / measured_for
        cpu = shares.stop()
        memory = shares.resident_memory()
        await traffic.stop()

        missing = [m for m in sent if listener.confirmed_by_all(m) is None]
        latencies = [listener.confirmed_by_all(m) - t for m, t in sent.items() if m not in missing]  # type: ignore[operator]
        to_hold = [listener.started[m] - t for m, t in sent.items() if m in listener.started]
        held_debts = await database.fetchval(
            "SELECT count(*) FROM breathing_space.held_debt WHERE moratorium_reference LIKE $1", f"BS-{run}-%"
        )
        if mode == "fan-out":
            print(
                f"background traffic: {background:.0f} events/s confirmed by the broker during the measurement "
                f"(asked for {background_rate}; three durable quorum queues, each drained by a stand-in that only "
                "acknowledges; the services idle)"
            )
            print(f"  still queued for the stand-ins at the end: {await _backlog(amqp_url, stand_ins=True)}")
        elif mode == "broker":
            print(
                f"background traffic: {background:.0f} events/s confirmed by the broker during the measurement "
                f"(asked for {background_rate}; durable quorum queue, consumed by a stand-in consumer, not by "
                "the services)"
            )
        else:
            print(
                f"background traffic: {background:.0f} billing.balance.changed events/s confirmed by the broker "
                f"during the measurement (asked for {background_rate}; consumed by recovery, agents_gateway and "
                "breathing_space)"
            )
            print(
                f"  still queued for the services at the end (statements of up to "
                f"{BackgroundTraffic.CHANGES_PER_STATEMENT} changes): {await _backlog(amqp_url)}"
            )
        print(f"  CPU during the measurement, in cores: {cpu}")
        print(f"  resident memory at the end, in MB (target < 200 each): {memory}")
        print(
            f"notifications: {len(sent)}, debts held: {held_debts} (3 per person, 2 found beyond those notified)"
        )
        print(
            "notification -> hold started broadcast: "
            f"p50 {statistics.median(to_hold) * 1000:.0f} ms, p99 {percentile(to_hold, 99) * 1000:.0f} ms"
        )
        if latencies:
            print(
                "notification -> every service confirmed: "
                f"p50 {statistics.median(latencies) * 1000:.0f} ms, p90 {percentile(latencies, 90) * 1000:.0f} ms, "
                f"p99 {percentile(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
                f"(target p99 < 250 ms with 5,000 background events/s, issue 21; < 1000 ms with 2,000)"
            )
            # In the order sent: a tail that grows through the run points at something accumulating (a backlog,
            # a table's growth), one spread evenly at contention.
            tenth = max(1, len(latencies) // 10)
            print(
                "  slowest in each tenth of the run, in the order sent (ms): "
                + ", ".join(
                    f"{max(latencies[i : i + tenth]) * 1000:.0f}" for i in range(0, len(latencies), tenth)
                )
            )
        for service in CONFIRMING:
            each = [
                listener.heard[m][service] - t
                for m, t in sent.items()
                if service in listener.heard.get(m, {})
            ]
            if each:
                print(
                    f"  {service} confirmed: p50 {statistics.median(each) * 1000:.0f} ms, "
                    f"p99 {percentile(each, 99) * 1000:.0f} ms"
                )
        if missing:
            print(f"NOT confirmed by every service within 60 s: {len(missing)} of {len(sent)}")
            for m in missing[:5]:
                print(f"  {m}: heard from {sorted(listener.heard.get(m, {}))}")
        await listener.connection.close()
        if sink is not None:
            await sink.close()
        if stand_ins is not None:
            await stand_ins.stop()
    finally:
        await database.close()
        processes += relay_processes
        for _, process, _ in processes:
            process.terminate()
        for name, process, log in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
            if process.returncode not in (0, -15):
                print(f"{name} exited with {process.returncode}; log: {log}")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    traffic_mode = sys.argv[3] if len(sys.argv) > 3 else "services"
    if traffic_mode not in ("services", "broker", "fan-out"):
        raise SystemExit(
            "traffic mode is 'services' (billing.balance.changed), 'broker' (other traffic, one queue) or "
            "'fan-out' (other traffic, three queues drained by stand-ins)"
        )
    relay_placement = sys.argv[4] if len(sys.argv) > 4 else "in-process"
    if relay_placement not in ("in-process", "beside"):
        raise SystemExit("relays are 'in-process' (in each service's process) or 'beside' (a process each)")
    asyncio.run(main(count, rate, traffic_mode, relay_placement))
