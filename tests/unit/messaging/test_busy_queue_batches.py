"""A busy inbox queue gathers deliveries into bigger batches; a quiet one (holds) never waits. A batch is bounded
by its bodies' size too, and a few large deliveries (balance changes stated together) make a queue busy."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from shared.messaging.inbox import InboxQueue, _QueueWorker
from shared.messaging.quiet_queues_first import QuietQueuesFirst


class RecordingConsumer:
    """Stands for the inbox's database side: records each batch and holds it until released."""

    service = "test"

    def __init__(self) -> None:
        self.batches: list[int] = []
        self.taken = asyncio.Event()
        self.release = asyncio.Event()
        self.quiet_queues_first = QuietQueuesFirst()

    async def deliver_batch(self, worker: _QueueWorker, batch: list[Any]) -> None:
        self.batches.append(len(batch))
        self.taken.set()
        await self.release.wait()
        self.release.clear()
        for message in batch:
            worker.forget(message)


class Deliveries:
    def __init__(self) -> None:
        self.tag = 0

    def next(self, size: int = 460) -> Any:
        """A delivery whose body is `size` bytes (460: one balance change)."""
        self.tag += 1
        return SimpleNamespace(delivery_tag=self.tag, body=b"x" * size)


def a_worker(consumer: RecordingConsumer, linger_milliseconds: int) -> _QueueWorker:
    return _QueueWorker(
        consumer,  # type: ignore[arg-type]
        InboxQueue("recovery.billing.balance.changed", "billing.balance.changed"),
        handler=None,  # type: ignore[arg-type]
        max_batch=200,
        busy_linger_milliseconds=linger_milliseconds,
    )


async def next_batch_taken(consumer: RecordingConsumer) -> None:
    consumer.taken.clear()
    consumer.release.set()
    await asyncio.wait_for(consumer.taken.wait(), 5)


async def test_a_busy_queue_waits_for_more_deliveries_before_taking_a_small_batch() -> None:
    consumer, deliveries = RecordingConsumer(), Deliveries()
    worker = a_worker(consumer, linger_milliseconds=200)
    for _ in range(30):
        worker.accept(deliveries.next())
    await asyncio.wait_for(consumer.taken.wait(), 5)  # the first batch goes at once: 30
    for _ in range(5):
        worker.accept(deliveries.next())

    async def more_arrive_while_it_lingers() -> None:
        await asyncio.sleep(0.05)
        for _ in range(10):
            worker.accept(deliveries.next())

    arriving = asyncio.create_task(more_arrive_while_it_lingers())
    await next_batch_taken(consumer)
    await arriving

    assert consumer.batches == [30, 15]
    worker.task.cancel()


async def test_a_quiet_queue_takes_its_next_delivery_at_once() -> None:
    consumer, deliveries = RecordingConsumer(), Deliveries()
    worker = a_worker(
        consumer, linger_milliseconds=60_000
    )  # were it to linger, the batch below would not come within 5 s
    worker.accept(deliveries.next())
    await asyncio.wait_for(consumer.taken.wait(), 5)
    worker.accept(deliveries.next())

    await next_batch_taken(consumer)

    assert consumer.batches == [1, 1]
    worker.task.cancel()


async def test_a_full_batch_never_waits() -> None:
    consumer, deliveries = RecordingConsumer(), Deliveries()
    worker = a_worker(consumer, linger_milliseconds=60_000)
    for _ in range(30):
        worker.accept(deliveries.next())
    await asyncio.wait_for(consumer.taken.wait(), 5)
    for _ in range(200):
        worker.accept(deliveries.next())

    await next_batch_taken(consumer)

    assert consumer.batches == [30, 200]
    worker.task.cancel()


STATEMENT = 22_000  # bytes: a hundred balance changes stated in one message


async def test_a_batch_of_deliveries_stating_many_events_stops_at_its_size_limit() -> None:
    consumer, deliveries = RecordingConsumer(), Deliveries()
    worker = a_worker(consumer, linger_milliseconds=0)
    for _ in range(10):
        worker.accept(deliveries.next(STATEMENT))
    await asyncio.wait_for(consumer.taken.wait(), 5)

    await next_batch_taken(consumer)

    per_batch = _QueueWorker.MAX_BATCH_BYTES // STATEMENT
    assert consumer.batches == [per_batch, per_batch]
    worker.task.cancel()


async def test_one_delivery_larger_than_the_limit_is_still_taken() -> None:
    consumer, deliveries = RecordingConsumer(), Deliveries()
    worker = a_worker(consumer, linger_milliseconds=0)
    worker.accept(deliveries.next(_QueueWorker.MAX_BATCH_BYTES * 2))
    worker.accept(deliveries.next())
    await asyncio.wait_for(consumer.taken.wait(), 5)

    await next_batch_taken(consumer)

    assert consumer.batches == [1, 1]
    worker.task.cancel()


async def test_a_queue_of_few_but_large_deliveries_is_busy_and_waits_for_more() -> None:
    consumer, deliveries = RecordingConsumer(), Deliveries()
    worker = a_worker(consumer, linger_milliseconds=200)
    worker.accept(deliveries.next(STATEMENT))
    await asyncio.wait_for(consumer.taken.wait(), 5)  # one statement: 22 KB, a busy queue's batch
    worker.accept(deliveries.next(STATEMENT))

    async def more_arrive_while_it_lingers() -> None:
        await asyncio.sleep(0.05)
        worker.accept(deliveries.next(STATEMENT))

    arriving = asyncio.create_task(more_arrive_while_it_lingers())
    await next_batch_taken(consumer)
    await arriving

    assert consumer.batches == [1, 2]
    assert worker.is_busy
    worker.task.cancel()
