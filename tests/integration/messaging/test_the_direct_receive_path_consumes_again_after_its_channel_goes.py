"""On the direct receive path (INBOX_CONSUMES_DIRECTLY) a queue whose channel is closed by the broker is consumed
again on the reopened channel, nothing of the old channel is acked on the new one, every event is applied once,
and stopping the service (on either path) cancels and awaits every inbox worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from uuid import uuid4

import aio_pika
import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import _message, connect_as, eventually

ROUTING_KEY = f"recovery.direct_path_test_{uuid4().hex}.requested"
APPLIED: list[date] = []
router = InboxRouter[None, None]()


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY)
async def apply_the_day(message: DailyRunRequested, handling: Handling[None, None]) -> None:
    """Applies the day asked for."""
    APPLIED.append(message.business_date)


@pytest.fixture
async def recovery() -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime(
        "recovery", description="direct path test", settings=PlatformSettings(inbox_consumes_directly=True)
    )
    runtime.include(router, stores=lambda session: None, service=None)
    await runtime.start()
    yield runtime
    await runtime.stop()


def days(first: int, count: int) -> list[DailyRunRequested]:
    return [
        DailyRunRequested(business_date=date(2030, 1, 1) + timedelta(days=n))
        for n in range(first, first + count)
    ]


async def publish_in_one_burst(messages: list[DailyRunRequested]) -> None:
    """Published back to back as recovery, on this test's own routing key (no other queue hears them)."""
    connection = await connect_as("recovery")
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        for message in messages:
            body = Envelope.wrap(message, producer="recovery").to_bytes()
            await exchange.publish(_message(body, "recovery"), routing_key=ROUTING_KEY)
    finally:
        await connection.close()


async def applied(count: int) -> None:
    await eventually(lambda: _now(len(APPLIED)), lambda n: n >= count, timeout=60)


async def _now(value: int) -> int:
    return value


async def test_a_queue_whose_channel_the_broker_closed_is_consumed_again_and_loses_nothing(recovery) -> None:
    inbox = recovery.inbox
    assert inbox.direct is not None
    await publish_in_one_burst(days(0, 50))
    await applied(50)

    consumed = next(c for c in inbox.direct._consumed if c.queue.name == f"recovery.{ROUTING_KEY}")
    assert consumed.channel is not None
    closed_channel = await consumed.channel.get_underlay_channel()
    # An ack for a tag the channel never delivered: the broker closes the channel (PRECONDITION_FAILED).
    await closed_channel.basic_ack(10_000_000)
    await eventually(lambda: _now(closed_channel.is_closed), bool, timeout=30)

    await publish_in_one_burst(days(50, 50))
    await applied(100)

    assert sorted(APPLIED) == sorted(message.business_date for message in days(0, 100))
    assert inbox.dead_lettered == 0
    assert await consumed.channel.get_underlay_channel() is not closed_channel


@pytest.mark.parametrize("directly", [True, False], ids=["direct path", "through FastStream"])
async def test_stopping_the_service_cancels_and_awaits_its_inbox_workers(directly: bool) -> None:
    runtime = ServiceRuntime(
        "recovery", description="stop test", settings=PlatformSettings(inbox_consumes_directly=directly)
    )
    runtime.include(router, stores=lambda session: None, service=None)
    await runtime.start()
    before = len(APPLIED)
    await publish_in_one_burst(days(200 if directly else 300, 10))
    await applied(before + 10)
    tasks = [worker.task for worker in runtime.inbox._workers if worker.task is not None]
    assert tasks

    await runtime.stop()

    assert all(task.done() for task in tasks)
    assert all(worker.task is None for worker in runtime.inbox._workers)
