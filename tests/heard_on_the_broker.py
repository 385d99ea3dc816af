"""What a test hears on the real broker: every event published under the given routing key
patterns, as the contracts they are, heard on a queue of the test's own."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

import aio_pika

from shared.contracts.envelope import Envelope, open_envelope

T = TypeVar("T")


class HeardOnTheBroker:
    """Hears everything published with the given routing key patterns (an exclusive queue, gone when closed)."""

    def __init__(self, *patterns: str) -> None:
        assert patterns, "say what to listen to, e.g. 'recovery.#'"
        self.patterns = patterns
        self.heard: list[tuple[Envelope, Any]] = []

    async def __aenter__(self) -> HeardOnTheBroker:
        self.connection = await aio_pika.connect(os.environ["AMQP_URL"])
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for pattern in self.patterns:
            await queue.bind(exchange, routing_key=pattern)

        async def hear(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                self.heard.append(open_envelope(message.body))

        await queue.consume(hear)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.connection.close()

    def of(self, contract: type[T], where: Callable[[T], bool] = lambda _: True) -> list[T]:
        """Every message of the contract heard so far that `where` accepts, in the order heard."""
        return [payload for _, payload in self.heard if isinstance(payload, contract) and where(payload)]

    async def wait_for(
        self,
        contract: type[T],
        where: Callable[[T], bool] = lambda _: True,
        count: int = 1,
        timeout: float = 30,
    ) -> list[T]:
        """At least `count` such messages, waiting for them to be heard."""
        deadline = time.monotonic() + timeout
        while len(found := self.of(contract, where)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{count} {contract.__name__} not heard within {timeout}s; "
                    f"heard {[type(p).__name__ for _, p in self.heard]}"
                )
            await asyncio.sleep(0.05)
        return found
