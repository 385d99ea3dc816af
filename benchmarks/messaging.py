"""Messaging benchmark: the broker's own limit, against outbox -> broker -> inbox with a committed effect.

Run: .venv/bin/python -m benchmarks.messaging [events]
Both measurements use the same broker in the same run, persistent messages and a durable quorum queue. The
limit is measured as fast as a client can drive it: publisher confirms pipelined over a sliding window of
hundreds (never awaiting each publish in turn), a prefetch of 512 and acknowledgements of many deliveries at once
(`multiple`). The pipeline's rate is printed with its ratio to that limit.

The inbox consumes as the services do: through FastStream, or on the direct path when INBOX_CONSUMES_DIRECTLY is
true (shared/messaging/direct_consumer.py); the path measured is printed.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from uuid import uuid4

import aio_pika
import aiormq.abc
import asyncpg
from faststream.rabbit import RabbitBroker
from faststream.rabbit.schemas import Channel
from sqlalchemy import text

from benchmarks.infrastructure import benchmark_servers
from shared.contracts.envelope import Contract, Envelope, contract
from shared.messaging.confirmed_publishing import OutgoingMessage, publish_batch
from shared.messaging.inbox import InboxConsumer
from shared.messaging.relay import OutboxRelay
from shared.persistence.database import ServiceDatabase, asyncpg_dsn
from shared.persistence.messaging_tables import dead_letter_tray_ddl, inbox_content_ddl, messaging_tables_ddl
from shared.settings import platform_settings

SCHEMA = "messaging_benchmark"


@contract("messaging_benchmark.tick.happened", version=1)
class Tick(Contract):
    """A benchmark event: its effect is one committed row."""

    number: int


CONFIRM_WINDOW = 512
"""Publishes awaiting their confirm at once: enough that the broker, not the round trip, sets the pace."""
BATCH = 128
"""Messages written to the socket in one go (as the relay writes them), each still confirmed on its own."""
ACK_EVERY = 128


async def raw_rate(amqp_url: str, count: int) -> float:
    """The broker's limit as the best client drives it, on aiormq's channels directly (no per-message objects):
    batches of publishes in one socket write, confirms pipelined over a sliding window, a prefetch of 512, and
    deliveries acknowledged many at a time."""
    connection = await aio_pika.connect(amqp_url)
    publishing = await (await connection.channel(publisher_confirms=True)).get_underlay_channel()
    consuming = await (await connection.channel()).get_underlay_channel()
    queue = f"raw-benchmark-{uuid4()}"
    await consuming.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    await consuming.basic_qos(prefetch_count=512)
    body = Envelope.wrap(Tick(number=0), producer="benchmark").to_bytes()
    received = 0
    done = asyncio.Event()

    async def on_message(message: aiormq.abc.DeliveredMessage) -> None:
        nonlocal received
        received += 1
        if received % ACK_EVERY == 0 or received == count:
            await consuming.basic_ack(message.delivery_tag, multiple=True)  # all up to this one, one frame
        if received == count:
            done.set()

    await consuming.basic_consume(queue, on_message)
    in_flight: list[list[asyncio.Future[object]]] = []
    started = time.perf_counter()
    for offset in range(0, count, BATCH):
        batch = [OutgoingMessage(queue, body, str(offset + n)) for n in range(min(BATCH, count - offset))]
        in_flight.append(await publish_batch(publishing, "", batch))
        while sum(len(b) for b in in_flight) > CONFIRM_WINDOW:  # slide: wait only for the oldest batch
            await asyncio.gather(*in_flight.pop(0))
    for confirms in in_flight:
        await asyncio.gather(*confirms)
    await done.wait()
    elapsed = time.perf_counter() - started
    await consuming.queue_delete(queue)
    await connection.close()
    return count / elapsed


async def outbox_inbox_rate(
    amqp_url: str, database_url: str, count: int, *, relay_process: bool = False
) -> tuple[float, float]:
    """(events/s, CPU milliseconds this process spent per 1,000 events). With the relay as its own process this
    process is the consumer alone, so its CPU per event holds steadier than the rate on a shared machine."""
    await _delete_queue(amqp_url, f"{SCHEMA}.{Tick.message_type}")
    raw = await asyncpg.connect(asyncpg_dsn(database_url))
    await raw.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
    for statement in [
        *messaging_tables_ddl(SCHEMA),
        *dead_letter_tray_ddl(SCHEMA),
        *inbox_content_ddl(SCHEMA),
    ]:
        await raw.execute(statement)
    await raw.execute(f"CREATE TABLE {SCHEMA}.tick (number integer PRIMARY KEY)")

    broker = RabbitBroker(
        amqp_url, default_channel=Channel(prefetch_count=256), logger=None, apply_types=False
    )
    database = ServiceDatabase(database_url, SCHEMA, pool_size=20)
    # The benchmark's events belong to no service, so no broker user owns them: the publisher check (a dictionary
    # lookup per message) is off here; everything else is the inbox every service runs.
    inbox = InboxConsumer(
        SCHEMA,
        broker,
        database,
        events_exchange="council.events",
        dead_letter_exchange="council.dead-letter",
        verify_publishers=False,
        consume_directly=platform_settings().inbox_consumes_directly,
    )

    @inbox.handles_batch(Tick)
    async def record_ticks(session, ticks: list[tuple[Tick, Envelope]]) -> None:
        """The effect: one row per tick, written set-based for the whole batch."""
        await session.execute(
            text(f"INSERT INTO {SCHEMA}.tick (number) SELECT unnest(CAST(:numbers AS integer[]))"),
            {"numbers": [tick.number for tick, _ in ticks]},
        )

    await broker.start()
    await inbox.start()
    await inbox.declare_dead_letter_queues()
    rows = []
    for number in range(count):
        envelope = Envelope.wrap(Tick(number=number), producer=SCHEMA)
        rows.append((envelope.event_id, envelope.type, envelope.to_bytes()))
    await raw.copy_records_to_table(
        "outbox", schema_name=SCHEMA, records=rows, columns=["event_id", "routing_key", "body"]
    )
    started = time.perf_counter()
    cpu_started = time.process_time()
    if relay_process:
        # The relay as its own process (`council-debt relay <service>`), as deployed with RELAY_IN_PROCESS=false.
        relaying = subprocess.Popen(  # noqa: ASYNC220  (started once, before the measurement)
            [sys.executable, "-m", "deploy.cli", "relay", SCHEMA],
            env={**os.environ, "AMQP_URL": amqp_url, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"},
        )
    else:
        relay = OutboxRelay(SCHEMA, database_url=database_url, amqp_url=amqp_url, exchange="council.events")
        relay_task = asyncio.create_task(relay.run())
    while await raw.fetchval(f"SELECT count(*) FROM {SCHEMA}.tick") < count:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    if relay_process:
        relaying.terminate()
        relaying.wait()
    else:
        relay_task.cancel()
    await inbox.stop()
    await broker.stop()
    await database.dispose()
    await raw.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    await raw.close()
    await _delete_queue(amqp_url, f"{SCHEMA}.{Tick.message_type}")
    return count / elapsed, cpu * 1_000_000 / count


async def _delete_queue(amqp_url: str, name: str) -> None:
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    await channel.queue_delete(name)
    await channel.queue_delete(f"{name}.dead-letter")
    await connection.close()


async def main(count: int) -> None:
    amqp_url, database_url = benchmark_servers()
    path = "direct (aiormq basic_consume)" if platform_settings().inbox_consumes_directly else "FastStream"
    print(f"inbox receive path: {path}")
    raw = await raw_rate(amqp_url, count)
    print(
        f"the broker's limit (quorum queue, persistent, batches of {BATCH} with {CONFIRM_WINDOW} confirms in "
        f"flight, prefetch 512, acks of {ACK_EVERY} at once): {raw:,.0f} messages/s over {count:,}"
    )
    through, cpu = await outbox_inbox_rate(amqp_url, database_url, count)
    print(
        f"outbox -> relay -> broker -> inbox, committed effect (relay in the service process): "
        f"{through:,.0f} events/s over {count:,} ({through / raw:.0%} of raw), "
        f"relay and consumer CPU {cpu:,.0f} ms per 1,000 events"
    )
    beside, cpu = await outbox_inbox_rate(amqp_url, database_url, count, relay_process=True)
    print(
        f"outbox -> relay -> broker -> inbox, committed effect (relay as its own process):     "
        f"{beside:,.0f} events/s over {count:,} ({beside / raw:.0%} of raw), "
        f"consumer CPU {cpu:,.0f} ms per 1,000 events"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
