"""Notifications from a RabbitMQ queue, for councils whose integration receives them from the Insolvency Service
and forwards the documents as they are (raw JSON bodies, not this platform's envelopes).

The queue (`BREATHING_SPACE_NOTIFICATIONS_QUEUE`, default `breathing_space.insolvency_service.notifications`)
is a durable quorum queue; publish to it through the default exchange with the queue name as routing key. Each
message carries the Insolvency Service's signature in the same three headers as a pushed request
(NOTIFICATIONS.md, "Authentication"). An unsigned or wrongly signed one (a forged "cancelled", say) changes
nothing: it is kept for audit, refused, and dead-lettered whole to `<queue>.dead-letter` with the reason in
`x-dead-letter-reason` and in the service's dead-letter tray. A signed one is taken in exactly like a pushed
notification: stored verbatim first, then read; a duplicate (same
notification reference and version, e.g. a redelivery) changes nothing; a malformed one is kept for audit,
refused with the reason (see the status page) and acknowledged, so it never blocks the queue. A message that
cannot be stored at all (the database is away) is returned to the queue; after
`max_delivery_attempts` the broker moves it to `<queue>.dead-letter`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import structlog
from faststream import AckPolicy
from faststream.rabbit import RabbitQueue
from faststream.rabbit.schemas import QueueType
from pydantic import ConfigDict, RootModel

from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.domain.notifications import BreathingSpaceNotification
from services.breathing_space.intake import (
    NOT_AUTHENTICATED,
    REFUSED,
    DeadLetter,
    receive_forwarded_notification,
)

log = structlog.get_logger("breathing_space.notification_queue")

_EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))


class InsolvencyServiceNotification(RootModel[BreathingSpaceNotification]):
    """One notification document in the documented format (schema_version 1), one example per kind; see
    services/breathing_space/NOTIFICATIONS.md. For the AsyncAPI document only: the service reads the raw bytes
    itself so that a malformed document is kept and refused with the reason."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [json.loads(p.read_text()) for p in _EXAMPLES if "reported_back" not in p.name]
        }
    )


def dead_letter_queue_name(service: BreathingSpace) -> str:
    """Where the broker moves a queued notification delivered too often without being stored."""
    return f"{service.settings.notifications_queue}.dead-letter"


def notifications_queue(service: BreathingSpace) -> RabbitQueue:
    """The durable quorum queue of raw notification documents, dead-lettering after the delivery limit."""
    platform = service.runtime.settings
    return RabbitQueue(
        service.settings.notifications_queue,
        queue_type=QueueType.QUORUM,
        durable=True,
        arguments={
            "x-dead-letter-exchange": platform.dead_letter_exchange,
            "x-dead-letter-routing-key": dead_letter_queue_name(service),
            "x-delivery-limit": platform.max_delivery_attempts,
        },
    )


async def _raw_body(message: Any) -> bytes:
    return bytes(message.body)


def _signature_headers(headers: Any) -> dict[str, str]:
    # AMQP header values may arrive as bytes; the signature headers are text.
    return {
        str(name): value.decode(errors="replace") if isinstance(value, bytes) else str(value)
        for name, value in (headers or {}).items()
    }


def subscribe_to_notifications_queue(service: BreathingSpace) -> None:
    """Consume the council's raw notification queue: each message taken in like a pushed notification, acked
    once stored (even when refused), returned to the queue when it could not be stored."""
    broker = service.runtime.broker

    async def take_in_queued_notification(body: bytes) -> None:
        """One raw notification document from the council's integration."""
        message = broker.context.get_local("message")
        raw = message.raw_message
        dead_letter = DeadLetter(name, raw.message_id, raw.user_id)
        try:
            receipt = await receive_forwarded_notification(
                service,
                body,
                _signature_headers(raw.headers),
                route="queue",
                source=raw.message_id,
                dead_letter=dead_letter,
            )
            if receipt.outcome == REFUSED and (receipt.reason or "").startswith(NOT_AUTHENTICATED):
                await _dead_letter(service, body, receipt.reason or "", raw)
        except Exception as error:
            log.warning(
                "queued notification not taken in, returned to the queue", reason=type(error).__name__
            )
            await message.nack(requeue=True)
            return
        await message.ack()

    take_in_queued_notification.__annotations__["body"] = InsolvencyServiceNotification  # the AsyncAPI schema
    name = service.settings.notifications_queue
    broker.subscriber(
        notifications_queue(service),
        ack_policy=AckPolicy.MANUAL,
        decoder=_raw_body,
        title=f"{name}:consume",
        description=(
            "Raw Insolvency Service notification documents (JSON, schema_version 1, see "
            "services/breathing_space/NOTIFICATIONS.md), not enveloped. Malformed documents are kept and refused."
        ),
    )(take_in_queued_notification)


async def _dead_letter(service: BreathingSpace, body: bytes, reason: str, raw: Any) -> None:
    """Put a refused document, whole, on the dead-letter queue with the reason, as the inbox does."""
    runtime = service.runtime
    await runtime.broker.publish(
        body,
        exchange=runtime.inbox.dead_letter_exchange,
        routing_key=dead_letter_queue_name(service),
        headers={
            "x-dead-letter-reason": reason[:1000],
            "x-original-routing-key": raw.routing_key or "",
            "x-attempts": 1,
            "x-dead-lettered-at": time.time(),
            "x-service": "breathing_space",
        },
        message_id=raw.message_id,
        persist=True,
    )
    log.warning("queued notification dead-lettered", reason=reason)


async def declare_dead_letter_queue(service: BreathingSpace) -> None:
    """Background task (once, at start): the dead-letter queue beside the notifications queue."""
    runtime = service.runtime
    exchange = await runtime.broker.declare_exchange(runtime.inbox.dead_letter_exchange)
    queue = await runtime.broker.declare_queue(
        RabbitQueue(dead_letter_queue_name(service), queue_type=QueueType.QUORUM, durable=True)
    )
    await queue.bind(exchange, routing_key=dead_letter_queue_name(service))
