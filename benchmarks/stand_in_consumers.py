"""Stand-in consumers for the breathing space benchmark's `fan-out` mode: the machine's own limit for the traffic.

Each consuming service (recovery, the agents gateway, breathing space) is stood in for by a process that does
nothing with a delivery but acknowledge it: its own durable quorum queue of the background traffic, the services'
prefetch, acks with `multiple` (one frame per 64 deliveries, or every 20 ms), aiormq directly (no per-message
objects). What those three processes, the broker and the traffic source cost the two cores is what no service
could do with less; whatever CPU is left is all the services have for opening envelopes, the inbox and their
handlers. The services still run, idle.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from typing import Any

import aiormq

STAND_INS = ("recovery", "agents_gateway", "breathing_space")
ACK_EVERY = 64
ACK_AT_LEAST_EVERY_SECONDS = 0.02


def stand_in_queue(service: str) -> str:
    """The queue standing in for this service's queue of balance changes."""
    return f"benchmark.stand_in.{service}"


class StandInConsumers:
    """One process per stand-in, started before the traffic and stopped after it."""

    def __init__(self, amqp_url: str, routing_key: str, prefetch: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._ready = [context.Event() for _ in STAND_INS]
        self._processes = [
            context.Process(
                target=_stand_in,
                args=(amqp_url, stand_in_queue(service), routing_key, prefetch, ready, self._stop),
                name=f"stand-in-{service}",
            )
            for service, ready in zip(STAND_INS, self._ready, strict=True)
        ]

    async def start(self) -> None:
        for process in self._processes:
            process.start()
        for ready in self._ready:
            if not await asyncio.to_thread(ready.wait, 60):
                raise RuntimeError("a stand-in consumer did not start")

    @property
    def pids(self) -> list[int]:
        """The stand-ins' process ids."""
        return [process.pid for process in self._processes if process.pid is not None]

    async def stop(self) -> None:
        self._stop.set()
        for process in self._processes:
            await asyncio.to_thread(process.join, 30)


def _stand_in(amqp_url: str, queue: str, routing_key: str, prefetch: int, ready: Any, stop: Any) -> None:
    async def consume() -> None:
        connection = await aiormq.connect(amqp_url)
        channel = await connection.channel()
        await channel.basic_qos(prefetch_count=prefetch)
        await channel.exchange_declare("council.events", exchange_type="topic", durable=True)
        await channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
        await channel.queue_bind(queue, "council.events", routing_key=routing_key)
        last_tag = 0
        acked = 0

        async def on_delivery(message: aiormq.abc.DeliveredMessage) -> None:
            nonlocal last_tag, acked
            last_tag = message.delivery_tag or 0
            if last_tag - acked >= ACK_EVERY:
                acked = last_tag
                await channel.basic_ack(last_tag, multiple=True)

        await channel.basic_consume(queue, on_delivery)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(ACK_AT_LEAST_EVERY_SECONDS)
            if last_tag > acked:
                acked = last_tag
                await channel.basic_ack(last_tag, multiple=True)
        await connection.close()

    asyncio.run(consume())
