"""The inbox's lighter receive path: its queues consumed with aiormq's `basic_consume`, each delivery handed to the
inbox worker as it is read (issue 21, shared/messaging/RECEIVE_PATH.md).

Through FastStream every delivery became an aio-pika `IncomingMessage`, a FastStream `RabbitMessage`, a context
scope, a correlation id and a task of each library's own before the inbox saw it: about 40% of a consumer's CPU.
Here a delivery is one small `Delivery` (the frame's fields and its channel) and nothing else. FastStream still
declares each queue for the AsyncAPI document (the subscriber is kept, documented, but never started), so
docs/asyncapi does not change with the path.

Every queue has a robust channel of its own with the configured prefetch, so delivery tags rise per queue and a
`multiple` ack covers only that queue's deliveries. When the channel goes (broker restart, connection lost, a
channel error) whatever it delivered and was not settled is redelivered by the broker: the worker forgets it, so
no acknowledgement is ever sent for it on the new channel, and consuming starts again once the channel is
reopened. Everything after the delivery (ack after commit, the digest refusal, the publisher check, transient
back-off, dead letters, `x-delivery-count`) is the inbox's own and the same on both paths.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aio_pika
import aiormq.abc
import structlog
from faststream.rabbit import RabbitExchange, RabbitQueue

if TYPE_CHECKING:
    from shared.messaging.inbox import _QueueWorker

log = structlog.get_logger("inbox")


class Delivery:
    """One delivery read from an inbox queue: what the inbox reads of it, and how to settle it on its channel.

    It answers the same names as aio-pika's `IncomingMessage` (body, headers, routing_key, user_id, message_id,
    delivery_tag, ack, nack), so the inbox handles both paths alike."""

    __slots__ = ("body", "channel", "delivery_tag", "properties", "routing_key")

    def __init__(self, message: aiormq.abc.DeliveredMessage) -> None:
        self.body: bytes = message.body
        self.channel = message.channel
        self.delivery_tag: int | None = message.delivery_tag
        self.routing_key: str | None = message.routing_key
        self.properties = message.header.properties

    @property
    def headers(self) -> dict[str, Any]:
        return self.properties.headers or {}

    @property
    def user_id(self) -> str | None:
        """The publishing broker user, which RabbitMQ checks against the connection's own."""
        return self.properties.user_id

    @property
    def message_id(self) -> str | None:
        return self.properties.message_id

    async def ack(self, multiple: bool = False) -> None:
        assert self.delivery_tag is not None
        await self.channel.basic_ack(self.delivery_tag, multiple=multiple)

    async def nack(self, multiple: bool = False, requeue: bool = True) -> None:
        assert self.delivery_tag is not None
        await self.channel.basic_nack(self.delivery_tag, multiple=multiple, requeue=requeue)


@dataclass
class _Consumed:
    queue: RabbitQueue
    worker: _QueueWorker
    channel: aio_pika.abc.AbstractRobustChannel | None = None


class DirectConsumption:
    """Consumes every inbox queue on a robust channel of its own, straight into its worker."""

    def __init__(self, exchange: RabbitExchange, prefetch: int) -> None:
        self.exchange = exchange
        self.prefetch = prefetch
        self._consumed: list[_Consumed] = []

    def add(self, queue: RabbitQueue, worker: _QueueWorker) -> None:
        """Consume `queue` (declared as FastStream would declare it: same type, arguments and binding)."""
        self._consumed.append(_Consumed(queue, worker))

    async def start(self, connection: aio_pika.abc.AbstractRobustConnection) -> None:
        """Declare each queue and its binding, and start consuming it."""
        for consumed in self._consumed:
            channel = await connection.channel(publisher_confirms=False)
            assert isinstance(channel, aio_pika.abc.AbstractRobustChannel)
            consumed.channel = channel
            # The robust channel keeps the QoS, the exchange, the queue and its binding, and declares them again
            # when it is reopened; the consumer is ours to start again (`_reopened`).
            await channel.set_qos(prefetch_count=self.prefetch)
            exchange = await channel.declare_exchange(
                self.exchange.name, aio_pika.ExchangeType(self.exchange.type.value), durable=True
            )
            queue = await channel.declare_queue(
                consumed.queue.name,
                durable=consumed.queue.durable,
                exclusive=consumed.queue.exclusive,
                auto_delete=consumed.queue.auto_delete,
                arguments=consumed.queue.arguments,
            )
            await queue.bind(exchange, routing_key=consumed.queue.routing())
            channel.close_callbacks.add(self._closed(consumed))
            channel.reopen_callbacks.add(self._reopened(consumed))
            await self._consume(consumed)

    async def _consume(self, consumed: _Consumed) -> None:
        assert consumed.channel is not None
        underlay = await consumed.channel.get_underlay_channel()
        accept = consumed.worker.accept

        async def on_delivery(message: aiormq.abc.DeliveredMessage) -> None:
            accept(Delivery(message))

        await underlay.basic_consume(consumed.queue.name, on_delivery)

    def _closed(self, consumed: _Consumed) -> Any:
        def closed(*_: Any) -> None:
            # What the channel delivered and was not settled goes back to the queue: never ack it from here.
            consumed.worker.forget_everything()

        return closed

    def _reopened(self, consumed: _Consumed) -> Any:
        async def reopened(*_: Any) -> None:
            consumed.worker.forget_everything()
            log.info("inbox channel reopened, consuming again", queue=consumed.queue.name)
            await self._consume(consumed)

        return reopened

    async def stop(self) -> None:
        """Close every channel: the broker redelivers what was delivered and not acked."""
        for consumed in self._consumed:
            channel, consumed.channel = consumed.channel, None
            if channel is not None and not channel.is_closed:
                with contextlib.suppress(Exception):
                    await channel.close()
            consumed.worker.forget_everything()
