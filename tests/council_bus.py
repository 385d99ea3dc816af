"""What tests need to talk to the real broker and database: publish as a council system would, read a service's
schema, and wait for an outcome without a fixed sleep."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aio_pika
import asyncpg

from shared.broker_identity import amqp_url_for, owner_of
from shared.contracts.envelope import Contract, Envelope
from shared.persistence.database import asyncpg_dsn

T = TypeVar("T")


def connect_as(user: str | None) -> Awaitable[aio_pika.abc.AbstractConnection]:
    """Connect to the test broker as `user` (each service and council system has a broker user of its own;
    None: the harness's own administrator, which owns no routing key)."""
    url = os.environ["AMQP_URL"]
    if user:
        url = amqp_url_for(user, url, os.environ.get("BROKER_PASSWORDS_FILE"))
    return aio_pika.connect(url)


def _message(body: bytes, user: str | None) -> aio_pika.Message:
    return aio_pika.Message(
        body,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        user_id=user if user and os.environ.get("BROKER_PASSWORDS_FILE") else None,
    )


async def publish(
    message: Contract | Envelope | bytes,
    *,
    routing_key: str | None = None,
    producer: str = "test",
    as_user: str | None = None,
) -> Envelope | None:
    """Publish to the events exchange with publisher confirms, as the owner of the message's type would (the
    council system for `council_systems.*`, billing for `billing.*`, ...), unless `as_user` names another broker
    user (a forgery, which the broker or the consumer must refuse)."""
    envelope = message if isinstance(message, Envelope) else None
    if isinstance(message, Contract):
        envelope = Envelope.wrap(message, producer=producer)
    body = envelope.to_bytes() if envelope else message  # raw bytes: deliberately malformed input
    key = routing_key or (envelope.type if envelope else None)
    assert key, "raw bytes need a routing key"
    assert isinstance(body, bytes)
    user = as_user or owner_of(envelope.type if envelope else key)
    connection = await connect_as(user)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        await exchange.publish(_message(body, user), routing_key=key)
    finally:
        await connection.close()
    return envelope


async def publish_in_one_burst(messages: list[Contract], *, producer: str = "test") -> list[Envelope]:
    """Publish many messages back to back on one channel, in order, confirmed together: they reach a consumer
    in quick succession, as a busy producer's would (so the inbox takes them in batches). All the messages
    must belong to one owner (one service's or the council systems' events)."""
    envelopes = [Envelope.wrap(message, producer=producer) for message in messages]
    owners = {owner_of(envelope.type) for envelope in envelopes}
    assert len(owners) <= 1, f"one burst, one publisher: {owners}"
    user = owners.pop() if owners else None
    connection = await connect_as(user)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        # Publishes are written in the order they start (the channel's lock is fair), then confirmed together.
        await asyncio.gather(
            *(
                exchange.publish(_message(envelope.to_bytes(), user), routing_key=envelope.type)
                for envelope in envelopes
            )
        )
    finally:
        await connection.close()
    return envelopes


async def database() -> asyncpg.Connection:
    """A plain connection to the test database (tests may read every schema; services never do)."""
    return await asyncpg.connect(asyncpg_dsn(os.environ["DATABASE_URL"]))


async def eventually(
    probe: Callable[[], Awaitable[T]], until: Callable[[T], bool], timeout: float = 20.0
) -> T:
    """Poll `probe` until `until(result)` holds; fail with the last result after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    result = await probe()
    while not until(result):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {result!r}")
        await asyncio.sleep(0.05)
        result = await probe()
    return result


async def fetch_value(sql: str, *args: Any) -> Any:
    """One value from the test database."""
    connection = await database()
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()
