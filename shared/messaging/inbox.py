"""The idempotent inbox: the one way a service consumes.

Each handled contract gets its own durable quorum queue `<service>.<routing key>` bound to the events exchange,
with a dead-letter exchange. For every delivery:

1. the envelope is opened and its contract validated;
2. in ONE transaction the event id is recorded in the service's inbox table and the handler's effects (including
   any outbox rows) are written; an event id already in the inbox means a redelivery and changes nothing;
3. the delivery is acknowledged only after that transaction commits.

A delivery that fails is retried (with a short back-off) up to `max_delivery_attempts`; then it is published to the
dead-letter queue with the reason in its headers, recorded in the `dead_letter` table, and acknowledged, so the
consumer goes on with the next message. The queue's own `x-delivery-limit` is a backstop for a message that
crashes the process outright.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from faststream import AckPolicy
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange, RabbitMessage, RabbitQueue
from faststream.rabbit.schemas import QueueType
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import Contract, Envelope, MalformedMessage, open_envelope
from shared.logs import bind_message_context, clear_message_context
from shared.persistence.database import ServiceDatabase

log = structlog.get_logger("inbox")

C = TypeVar("C", bound=Contract)
Handler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class InboxQueue:
    """A queue this service consumes, and the dead-letter queue beside it."""

    name: str
    routing_key: str

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.name}.dead-letter"


async def _raw_body(message: Any) -> bytes:
    # The inbox opens the envelope itself so that bad JSON is dead-lettered with a reason, not lost in a decoder.
    return message.body


class InboxConsumer:
    """Registers a service's handlers as FastStream subscribers behind the idempotent inbox."""

    def __init__(
        self,
        service: str,
        broker: RabbitBroker,
        database: ServiceDatabase,
        *,
        events_exchange: str,
        dead_letter_exchange: str,
        max_delivery_attempts: int = 5,
    ) -> None:
        self.service = service
        self.broker = broker
        self.database = database
        self.exchange = RabbitExchange(events_exchange, type=ExchangeType.TOPIC, durable=True)
        self.dead_letter_exchange = RabbitExchange(
            dead_letter_exchange, type=ExchangeType.DIRECT, durable=True
        )
        self.max_delivery_attempts = max_delivery_attempts
        self.queues: list[InboxQueue] = []
        self.handled = 0
        self.duplicates = 0
        self.dead_lettered = 0
        self._record = text(
            f"INSERT INTO {service}.inbox (event_id, message_type) VALUES (:event_id, :message_type) "
            f"ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
        )
        self._record_dead_letter = text(
            f"INSERT INTO {service}.dead_letter (queue, routing_key, event_id, reason, attempts, body) "
            f"VALUES (:queue, :routing_key, :event_id, :reason, :attempts, :body)"
        )

    def handles(self, contract_class: type[C], *, routing_key: str | None = None):
        """Decorator: `handler(session, message, envelope)` runs once per distinct event of this contract."""

        def register(handler: Handler) -> Handler:
            key = routing_key or contract_class.message_type
            inbox_queue = InboxQueue(name=f"{self.service}.{key}", routing_key=key)
            self.queues.append(inbox_queue)
            queue = RabbitQueue(
                inbox_queue.name,
                queue_type=QueueType.QUORUM,
                durable=True,
                routing_key=key,
                arguments={
                    "x-dead-letter-exchange": self.dead_letter_exchange.name,
                    "x-dead-letter-routing-key": inbox_queue.name,
                    "x-delivery-limit": self.max_delivery_attempts + 2,
                },
            )

            async def on_delivery(message: RabbitMessage) -> None:
                await self.deliver(message, inbox_queue, handler)

            on_delivery.__name__ = f"{self.service}_{key.replace('.', '_')}"
            on_delivery.__doc__ = handler.__doc__ or contract_class.__doc__
            self.broker.subscriber(
                queue,
                self.exchange,
                ack_policy=AckPolicy.MANUAL,
                decoder=_raw_body,
                title=f"{inbox_queue.name}:consume",
                description=(handler.__doc__ or "") + f"\n\nConsumes `{key}` ({contract_class.__name__}).",
            )(on_delivery)
            return handler

        return register

    async def declare_dead_letter_queues(self) -> None:
        """Declare the dead-letter exchange and one dead-letter queue per inbox queue (after broker start)."""
        exchange = await self.broker.declare_exchange(self.dead_letter_exchange)
        for inbox_queue in self.queues:
            queue = await self.broker.declare_queue(
                RabbitQueue(inbox_queue.dead_letter_queue, queue_type=QueueType.QUORUM, durable=True)
            )
            await queue.bind(exchange, routing_key=inbox_queue.name)

    async def deliver(self, message: RabbitMessage, queue: InboxQueue, handler: Handler) -> None:
        """Handle one delivery: inbox + effects in one transaction, then ack; retry or dead-letter on failure."""
        raw = message.raw_message
        previous_failures = int((raw.headers or {}).get("x-delivery-count", 0) or 0)
        attempt = previous_failures + 1
        body = raw.body
        try:
            envelope, payload = open_envelope(body)
        except MalformedMessage as error:
            await self._fail(message, queue, body, attempt, error.reason, event_id=raw.message_id)
            return
        bind_message_context(
            event_id=str(envelope.event_id),
            correlation_id=str(envelope.correlation_id),
            message_type=envelope.type,
        )
        try:
            async with self.database.transaction() as session:
                first_time = (
                    await session.execute(
                        self._record, {"event_id": envelope.event_id, "message_type": envelope.type}
                    )
                ).first()
                if first_time:
                    await handler(session, payload, envelope)
            await message.ack()
            if first_time:
                self.handled += 1
            else:
                self.duplicates += 1
                log.info("duplicate delivery absorbed by inbox")
        except asyncio.CancelledError:
            raise
        except Exception as error:
            await self._fail(
                message,
                queue,
                body,
                attempt,
                f"{type(error).__name__}: {error}",
                event_id=str(envelope.event_id),
            )
        finally:
            clear_message_context("event_id", "correlation_id", "message_type")

    async def _fail(
        self, message: RabbitMessage, queue: InboxQueue, body: bytes, attempt: int, reason: str, event_id: Any
    ) -> None:
        if attempt < self.max_delivery_attempts:
            log.warning("delivery failed, will retry", queue=queue.name, attempt=attempt, reason=reason)
            await asyncio.sleep(min(0.05 * 2**attempt, 2.0))
            await message.nack(requeue=True)
            return
        log.error("dead-lettering message", queue=queue.name, attempts=attempt, reason=reason)
        await self.broker.publish(
            body,
            exchange=self.dead_letter_exchange,
            routing_key=queue.name,
            headers={
                "x-dead-letter-reason": reason[:1000],
                "x-original-routing-key": message.raw_message.routing_key or "",
                "x-attempts": attempt,
                "x-dead-lettered-at": time.time(),
                "x-service": self.service,
            },
            message_id=str(event_id) if event_id else None,
            persist=True,
        )
        with contextlib.suppress(Exception):  # the queue holds the dead letter even if the database is down
            async with self.database.transaction() as session:
                await session.execute(
                    self._record_dead_letter,
                    {
                        "queue": queue.name,
                        "routing_key": message.raw_message.routing_key,
                        "event_id": str(event_id) if event_id else None,
                        "reason": reason,
                        "attempts": attempt,
                        "body": body,
                    },
                )
        await message.ack()
        self.dead_lettered += 1
