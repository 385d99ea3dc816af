"""The direct receive path (shared/messaging/direct_consumer.py) gives the inbox what FastStream gave it: the
publisher from the AMQP properties, the delivery count, acks on the delivery's own channel; a reopened channel's
deliveries are never mistaken for the old channel's; stopping cancels and awaits every worker; and the AsyncAPI
document is the same whichever path consumes."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

from aiormq.abc import DeliveredMessage
from faststream import FastStream
from faststream.rabbit import RabbitBroker
from faststream.specification import AsyncAPI
from pamqp import commands as spec
from pamqp.header import ContentHeader

from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.direct_consumer import Delivery
from shared.messaging.inbox import InboxConsumer, InboxQueue, _QueueWorker


class RecordingChannel:
    """Stands for an aiormq channel: records what is settled on it."""

    def __init__(self) -> None:
        self.settled: list[tuple[str, int, bool]] = []

    async def basic_ack(self, delivery_tag: int, multiple: bool = False) -> None:
        self.settled.append(("ack", delivery_tag, multiple))

    async def basic_nack(self, delivery_tag: int, multiple: bool = False, requeue: bool = True) -> None:
        self.settled.append(("nack", delivery_tag, requeue))


def a_delivery(channel: RecordingChannel, tag: int, **properties: Any) -> Delivery:
    return Delivery(
        DeliveredMessage(
            delivery=spec.Basic.Deliver(
                consumer_tag="ctag", delivery_tag=tag, exchange="council.events", routing_key="billing.x"
            ),
            header=ContentHeader(properties=spec.Basic.Properties(**properties)),
            body=b"{}",
            channel=channel,  # type: ignore[arg-type]
        )
    )


def a_worker() -> _QueueWorker:
    return _QueueWorker(
        # (no batch is handled in these tests)
        SimpleNamespace(service="recovery"),  # type: ignore[arg-type]
        InboxQueue("recovery.billing.x", "billing.x"),
        handler=None,  # type: ignore[arg-type]
        max_batch=200,
        busy_linger_milliseconds=0,
    )


async def test_a_direct_delivery_reads_the_publisher_and_delivery_count_from_its_amqp_properties() -> None:
    channel = RecordingChannel()
    delivery = a_delivery(
        channel, 7, user_id="billing", message_id="event-1", headers={"x-delivery-count": 2}
    )

    assert delivery.user_id == "billing"
    assert delivery.message_id == "event-1"
    assert delivery.headers["x-delivery-count"] == 2
    assert delivery.routing_key == "billing.x"
    assert delivery.delivery_tag == 7
    await delivery.ack(multiple=True)
    await delivery.nack(requeue=True)
    assert channel.settled == [("ack", 7, True), ("nack", 7, True)]


async def test_a_delivery_without_headers_has_none() -> None:
    assert a_delivery(RecordingChannel(), 1).headers == {}


async def test_committed_deliveries_are_acked_with_one_multiple_ack() -> None:
    channel, worker = RecordingChannel(), a_worker()
    deliveries = [a_delivery(channel, tag) for tag in (1, 2, 3)]
    for delivery in deliveries:
        worker.unsettled[delivery.delivery_tag] = delivery  # type: ignore[index]

    await worker.acknowledge(deliveries)

    assert channel.settled == [("ack", 3, True)]
    assert worker.unsettled == {}


async def test_a_reopened_channels_delivery_is_never_taken_for_the_old_channels_one() -> None:
    old_channel, new_channel, worker = RecordingChannel(), RecordingChannel(), a_worker()
    old = a_delivery(old_channel, 1)
    worker.unsettled[1] = old
    worker.forget_everything()  # the channel went: the broker redelivers what it had delivered
    new = a_delivery(new_channel, 1)  # a reopened channel numbers its deliveries from 1 again
    worker.unsettled[1] = new

    assert not worker.holds(old)
    assert worker.holds(new)
    await worker.acknowledge([old])  # the old delivery's batch committed late: nothing is acked for it
    worker.forget(old)
    assert old_channel.settled == [] and new_channel.settled == []
    assert worker.holds(new)


async def test_stopping_the_inbox_cancels_and_awaits_its_workers_and_takes_no_more_deliveries() -> None:
    inbox = InboxConsumer(
        "recovery",
        RabbitBroker(),
        # (the batch below never reaches the database)
        None,  # type: ignore[arg-type]
        events_exchange="council.events",
        dead_letter_exchange="council.dead-letter",
        consume_directly=True,
    )

    @inbox.handles_batch(DailyRunRequested)
    async def applied(session: Any, messages: list[tuple[Any, Envelope]]) -> None:
        """Never reached."""

    handling = asyncio.Event()

    async def a_batch_that_waits(worker: _QueueWorker, batch: list[Any]) -> None:
        handling.set()
        await asyncio.Event().wait()

    inbox.deliver_batch = a_batch_that_waits  # type: ignore[method-assign]
    worker = inbox._workers[0]
    worker.accept(a_delivery(RecordingChannel(), 1))
    await asyncio.wait_for(handling.wait(), 5)
    task = worker.task
    assert task is not None

    await inbox.stop()

    assert task.cancelled()
    worker.accept(a_delivery(RecordingChannel(), 2))
    assert worker.task is None and worker.unsettled == {} and worker.pending == []


def asyncapi_of(consume_directly: bool) -> dict[str, Any]:
    broker = RabbitBroker("amqp://guest:guest@127.0.0.1:5672/", logger=None, apply_types=False)
    inbox = InboxConsumer(
        "recovery",
        broker,
        None,  # type: ignore[arg-type]
        events_exchange="council.events",
        dead_letter_exchange="council.dead-letter",
        consume_directly=consume_directly,
    )

    @inbox.handles_batch(DailyRunRequested)
    async def applied(session: Any, messages: list[tuple[Any, Envelope]]) -> None:
        """The daily run is started."""

    application = FastStream(broker, specification=AsyncAPI(title="recovery", version="1.0.0"))
    document: dict[str, Any] = json.loads(application.schema.to_specification().to_json())
    return document


def test_the_asyncapi_document_is_the_same_whichever_path_consumes() -> None:
    through_faststream = asyncapi_of(consume_directly=False)

    assert asyncapi_of(consume_directly=True) == through_faststream
    assert "recovery.recovery.daily_run.requested:consume" in json.dumps(through_faststream)
