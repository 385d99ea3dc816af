"""Messaging benchmark: raw aio-pika publish+consume, against outbox -> broker -> inbox with a committed effect.

Run: .venv/bin/python -m benchmarks.messaging [events]
Both measurements use the same broker and a durable quorum queue with publisher confirms and manual acks.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from uuid import uuid4

import aio_pika
import asyncpg
from faststream.rabbit import RabbitBroker
from faststream.rabbit.schemas import Channel
from sqlalchemy import text

from benchmarks.infrastructure import benchmark_servers
from shared.contracts.envelope import Contract, Envelope, contract
from shared.messaging.inbox import InboxConsumer
from shared.messaging.relay import OutboxRelay
from shared.persistence.database import ServiceDatabase, asyncpg_dsn
from shared.persistence.messaging_tables import messaging_tables_ddl

SCHEMA = "messaging_benchmark"


@contract("messaging_benchmark.tick.happened", version=1)
class Tick(Contract):
    """A benchmark event: its effect is one committed row."""

    number: int


async def raw_rate(amqp_url: str, count: int) -> float:
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    await channel.set_qos(prefetch_count=256)
    queue = await channel.declare_queue(
        f"raw-benchmark-{uuid4()}", durable=True, arguments={"x-queue-type": "quorum"}
    )
    body = Envelope.wrap(Tick(number=0), producer="benchmark").to_bytes()
    received = 0
    done = asyncio.Event()

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal received
        await message.ack()
        received += 1
        if received == count:
            done.set()

    await queue.consume(on_message)
    started = time.perf_counter()
    for offset in range(0, count, 500):
        await asyncio.gather(
            *(
                channel.default_exchange.publish(
                    aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                    routing_key=queue.name,
                )
                for _ in range(min(500, count - offset))
            )
        )
    await done.wait()
    elapsed = time.perf_counter() - started
    await queue.delete(if_unused=False, if_empty=False)
    await connection.close()
    return count / elapsed


async def outbox_inbox_rate(
    amqp_url: str, database_url: str, count: int, *, relay_process: bool = False
) -> float:
    await _delete_queue(amqp_url, f"{SCHEMA}.{Tick.message_type}")
    raw = await asyncpg.connect(asyncpg_dsn(database_url))
    await raw.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
    for statement in messaging_tables_ddl(SCHEMA):
        await raw.execute(statement)
    await raw.execute(f"CREATE TABLE {SCHEMA}.tick (number integer PRIMARY KEY)")

    broker = RabbitBroker(
        amqp_url, default_channel=Channel(prefetch_count=256), logger=None, apply_types=False
    )
    database = ServiceDatabase(database_url, SCHEMA, pool_size=20)
    inbox = InboxConsumer(
        SCHEMA, broker, database, events_exchange="council.events", dead_letter_exchange="council.dead-letter"
    )

    @inbox.handles_batch(Tick)
    async def record_ticks(session, ticks: list[tuple[Tick, Envelope]]) -> None:
        """The effect: one row per tick, written set-based for the whole batch."""
        await session.execute(
            text(f"INSERT INTO {SCHEMA}.tick (number) SELECT unnest(CAST(:numbers AS integer[]))"),
            {"numbers": [tick.number for tick, _ in ticks]},
        )

    await broker.start()
    await inbox.declare_dead_letter_queues()
    rows = []
    for number in range(count):
        envelope = Envelope.wrap(Tick(number=number), producer=SCHEMA)
        rows.append((envelope.event_id, envelope.type, envelope.to_bytes()))
    await raw.copy_records_to_table(
        "outbox", schema_name=SCHEMA, records=rows, columns=["event_id", "routing_key", "body"]
    )
    started = time.perf_counter()
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
    if relay_process:
        relaying.terminate()
        relaying.wait()
    else:
        relay_task.cancel()
    await broker.stop()
    await database.dispose()
    await raw.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    await raw.close()
    await _delete_queue(amqp_url, f"{SCHEMA}.{Tick.message_type}")
    return count / elapsed


async def _delete_queue(amqp_url: str, name: str) -> None:
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    await channel.queue_delete(name)
    await channel.queue_delete(f"{name}.dead-letter")
    await connection.close()


async def main(count: int) -> None:
    amqp_url, database_url = benchmark_servers()
    raw = await raw_rate(amqp_url, count)
    print(
        f"raw aio-pika publish+consume (quorum queue, confirms, acks): {raw:,.0f} messages/s over {count:,}"
    )
    through = await outbox_inbox_rate(amqp_url, database_url, count)
    print(
        f"outbox -> relay -> broker -> inbox, committed effect (relay in the service process): "
        f"{through:,.0f} events/s over {count:,} ({through / raw:.0%} of raw)"
    )
    beside = await outbox_inbox_rate(amqp_url, database_url, count, relay_process=True)
    print(
        f"outbox -> relay -> broker -> inbox, committed effect (relay as its own process):     "
        f"{beside:,.0f} events/s over {count:,} ({beside / raw:.0%} of raw)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
