"""Notifications from a RabbitMQ queue, for councils whose integration receives them from the Insolvency Service
and forwards the documents as they are (raw JSON bodies, not this platform's envelopes).

The queue (`BREATHING_SPACE_NOTIFICATIONS_QUEUE`, default `breathing_space.insolvency_service.notifications`)
is a durable quorum queue; publish to it through the default exchange with the queue name as routing key. Each
message is taken in exactly like a pushed notification: stored verbatim first, then read; a duplicate (same
notification reference and version, e.g. a redelivery) changes nothing; a malformed one is kept for audit,
refused with the reason (see the status page) and acknowledged, so it never blocks the queue. A message that
cannot be stored at all (the database is away) is returned to the queue; after
`max_delivery_attempts` the broker moves it to `<queue>.dead-letter`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import structlog
from faststream import AckPolicy
from faststream.rabbit import RabbitQueue
from faststream.rabbit.schemas import QueueType
from pydantic import ConfigDict, RootModel

from services.breathing_space.domain.notifications import BreathingSpaceNotification
from services.breathing_space.intake import receive_notification
from services.breathing_space.service import configuration, runtime
from shared.runtime import ServiceRuntime

log = structlog.get_logger("breathing_space.notification_queue")

_queue_name = configuration.notifications_queue
_dead_letters = f"{_queue_name}.dead-letter"
notifications_queue = RabbitQueue(
    _queue_name,
    queue_type=QueueType.QUORUM,
    durable=True,
    arguments={
        "x-dead-letter-exchange": runtime.settings.dead_letter_exchange,
        "x-dead-letter-routing-key": _dead_letters,
        "x-delivery-limit": runtime.settings.max_delivery_attempts,
    },
)


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


async def _raw_body(message: Any) -> bytes:
    return message.body


async def take_in_queued_notification(body: bytes) -> None:
    """One raw notification document from the council's integration."""
    message = runtime.broker.context.get_local("message")
    try:
        await receive_notification(body, route="queue", source=message.raw_message.message_id)
    except Exception as error:
        log.warning("queued notification not taken in, returned to the queue", reason=str(error))
        await message.nack(requeue=True)
        return
    await message.ack()


take_in_queued_notification.__annotations__["body"] = InsolvencyServiceNotification  # the AsyncAPI schema
runtime.broker.subscriber(
    notifications_queue,
    ack_policy=AckPolicy.MANUAL,
    decoder=_raw_body,
    title=f"{_queue_name}:consume",
    description=(
        "Raw Insolvency Service notification documents (JSON, schema_version 1, see "
        "services/breathing_space/NOTIFICATIONS.md), not enveloped. Malformed documents are kept and refused."
    ),
)(take_in_queued_notification)


async def declare_dead_letter_queue(runtime: ServiceRuntime) -> None:
    """Background task (once, at start): the dead-letter queue beside the notifications queue."""
    exchange = await runtime.broker.declare_exchange(runtime.inbox.dead_letter_exchange)
    queue = await runtime.broker.declare_queue(
        RabbitQueue(_dead_letters, queue_type=QueueType.QUORUM, durable=True)
    )
    await queue.bind(exchange, routing_key=_dead_letters)


runtime.background.append(declare_dead_letter_queue)
