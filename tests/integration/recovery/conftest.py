"""Recovery running in this process against the session's real RabbitMQ and PostgreSQL, and a listener that
hears everything recovery publishes."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator

import aio_pika
import pytest

from tests.integration.recovery.recovery_bus import Heard, the_recovery_service


@pytest.fixture
async def recovery() -> AsyncIterator[object]:
    runtime = the_recovery_service().runtime
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
async def heard() -> AsyncIterator[Heard]:
    """Every event recovery publishes while the test runs, as (routing key, data) pairs."""
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    channel = await connection.channel()
    exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue("", exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key="recovery.#")
    events = Heard()

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            body = json.loads(message.body)
            events.append((message.routing_key or "", body["data"]))

    await queue.consume(on_message)
    yield events
    await asyncio.sleep(0)
    await connection.close()
