"""Hear what a service publishes, from the real broker: an exclusive queue bound to the events exchange."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Any

import aio_pika

from shared.contracts.envelope import Envelope


class BusListener:
    """Collects every envelope published under the routing-key patterns given."""

    def __init__(self, *patterns: str) -> None:
        self.patterns = patterns
        self.envelopes: list[Envelope] = []
        self._connection: Any = None

    async def start(self) -> None:
        self._connection = await aio_pika.connect(os.environ["AMQP_URL"])
        channel = await self._connection.channel()
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue("", exclusive=True, auto_delete=True)
        for pattern in self.patterns:
            await queue.bind(exchange, routing_key=pattern)

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                self.envelopes.append(Envelope.model_validate_json(message.body))

        await queue.consume(on_message)

    async def stop(self) -> None:
        await self._connection.close()

    def of_type(self, message_type: str, where: Callable[[dict], bool] = lambda data: True) -> list[Envelope]:
        """Everything heard of one type whose data satisfies `where`."""
        return [e for e in self.envelopes if e.type == message_type and where(e.data)]

    async def wait_for(
        self,
        message_type: str,
        where: Callable[[dict], bool] = lambda data: True,
        count: int = 1,
        timeout: float = 20,
    ) -> list[Envelope]:
        """Wait until at least `count` such messages were heard; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(found := self.of_type(message_type, where)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"heard {len(found)} {message_type} (wanted {count}) within {timeout}s")
            await asyncio.sleep(0.05)
        return found
