"""The outbox relay: publishes committed outbox rows with publisher confirms, then marks them published.

Rows are locked (FOR UPDATE SKIP LOCKED) while a batch is published, so several replicas share the work.
A crash after publishing and before the mark commits leaves the rows unmarked: they are published again, and the
consumers' inboxes absorb the duplicates. Nothing committed is ever lost.
"""

from __future__ import annotations

import asyncio
import contextlib

import aio_pika
import aiormq
import aiormq.abc
import asyncpg
import structlog

from shared.broker_identity import user_of
from shared.messaging.confirmed_publishing import OutgoingMessage, publish_batch
from shared.metrics import RELAY_PUBLISHED
from shared.persistence.database import asyncpg_dsn

log = structlog.get_logger("outbox.relay")


class OutboxRelay:
    """Moves one service's outbox onto the events exchange."""

    def __init__(
        self,
        service: str,
        *,
        database_url: str,
        amqp_url: str,
        exchange: str,
        batch_size: int = 500,
        idle_poll_milliseconds: int = 500,
    ) -> None:
        self.service = service
        self.database_url = asyncpg_dsn(database_url)
        self.amqp_url = amqp_url
        self.exchange_name = exchange
        self.batch_size = batch_size
        self.idle_poll_seconds = idle_poll_milliseconds / 1000
        self.broker_user = user_of(amqp_url)
        self.published = 0
        self._published_metric = RELAY_PUBLISHED.labels(service)
        self._wake = asyncio.Event()
        self._select = (
            f"SELECT position, event_id, routing_key, body FROM {service}.outbox "
            f"WHERE published_at IS NULL ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED"
        )
        self._mark = f"UPDATE {service}.outbox SET published_at = now() WHERE position = ANY($1::bigint[])"

    async def run(self) -> None:
        """Relay until cancelled, reconnecting after failures."""
        while True:
            try:
                await self._run_connected()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a lost broker or database: wait and reconnect, rows stay unmarked
                log.warning("outbox relay reconnecting", error=str(error))
                await asyncio.sleep(1.0)

    async def _run_connected(self) -> None:
        connection = await asyncpg.connect(self.database_url)
        broker = await aio_pika.connect(self.amqp_url)
        try:
            channel = await broker.channel(publisher_confirms=True)
            await channel.declare_exchange(self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
            await connection.add_listener(f"{self.service}_outbox", lambda *_: self._wake.set())
            # aiormq's channel directly: the relay needs frames and confirms, not aio-pika Message objects.
            amqp = await channel.get_underlay_channel()
            while True:
                if await self.relay_batch(connection, amqp) < self.batch_size:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.idle_poll_seconds)
        finally:
            with contextlib.suppress(Exception):
                await broker.close()
            with contextlib.suppress(Exception):
                await connection.close()

    async def relay_batch(self, connection: asyncpg.Connection, channel: aiormq.abc.AbstractChannel) -> int:
        """Publish one batch of unpublished rows and mark them; returns how many were published."""
        async with connection.transaction():
            rows = await connection.fetch(self._select, self.batch_size)
            if not rows:
                return 0
            confirmations = await asyncio.gather(
                *await publish_batch(
                    channel,
                    self.exchange_name,
                    [
                        OutgoingMessage(
                            row["routing_key"],
                            bytes(row["body"]),
                            str(row["event_id"]),
                            self.service,
                            self.broker_user,
                        )
                        for row in rows
                    ],
                )
            )
            refused = [c for c in confirmations if not isinstance(c, aiormq.spec.Basic.Ack)]
            if refused:  # the broker did not take them: roll back, mark nothing, try them all again
                raise RuntimeError(f"broker refused {len(refused)} of {len(rows)} outbox messages")
            await self._mark_published(connection, [row["position"] for row in rows])
        self.published += len(rows)
        self._published_metric.inc(len(rows))
        return len(rows)

    async def _mark_published(self, connection: asyncpg.Connection, positions: list[int]) -> None:
        await connection.execute(self._mark, positions)
