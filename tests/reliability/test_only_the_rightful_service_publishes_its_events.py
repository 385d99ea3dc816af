"""Only the rightful service can publish its events: the broker refuses a routing key its user does not own or a
user id that is not its own, and a consumer refuses an event whose broker-validated publisher does not own it (a
forged `writeoff.write_off.approved`, payment or `breathing_space.hold.ended` changes nothing)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import date
from uuid import uuid4

import aio_pika
import aiormq.exceptions
import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.dead_letter_tray import DeadLetterError, DeadLetterTray
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import connect_as, eventually, publish

pytestmark = pytest.mark.skipif(
    not os.environ.get("BROKER_PASSWORDS_FILE"), reason="needs the platform's broker users"
)

ROUTING_KEY = f"recovery.forgery_test_{uuid4().hex}.requested"
APPLIED: list[date] = []
router = InboxRouter[None, None]()


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY)
async def apply_the_day(message: DailyRunRequested, handling: Handling[None, None]) -> None:
    """Applies the day asked for."""
    APPLIED.append(message.business_date)


@pytest.fixture
async def recovery() -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime("recovery", description="forgery test", settings=PlatformSettings())
    runtime.include(router, stores=lambda session: None, service=None)
    await runtime.start()
    yield runtime
    await runtime.stop()


def _tray() -> DeadLetterTray:
    return DeadLetterTray(
        "recovery",
        database_url=os.environ["DATABASE_URL"],
        amqp_url=os.environ["AMQP_URL"],
        broker_passwords_file=os.environ.get("BROKER_PASSWORDS_FILE"),
    )


async def _publish_as(user: str, routing_key: str, body: bytes, user_id: str | None) -> None:
    connection = await connect_as(user)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        await exchange.publish(aio_pika.Message(body, user_id=user_id), routing_key=routing_key)
    finally:
        await connection.close()


async def test_the_broker_refuses_billing_publishing_a_breathing_space_event() -> None:
    ended = b'{"forged": "breathing_space.hold.ended"}'
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
        await _publish_as("billing", "breathing_space.hold.ended", ended, user_id="billing")


async def test_the_broker_refuses_a_user_id_that_is_not_the_publishers_own() -> None:
    with pytest.raises(aiormq.exceptions.ChannelPreconditionFailed):
        await _publish_as("billing", "billing.payment.allocated", b"{}", user_id="writeoff")


async def test_a_consumer_refuses_an_event_whose_publisher_does_not_own_it_and_it_is_never_replayed(
    recovery,
) -> None:
    forged = Envelope.wrap(DailyRunRequested(business_date=date(2026, 8, 3)), producer="recovery")
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused):  # council systems publish only their own keys
        await publish(forged, routing_key=ROUTING_KEY, as_user="council_systems")
    # The harness's administrator may publish any routing key, but not as recovery:
    unsigned = Envelope.wrap(DailyRunRequested(business_date=date(2026, 8, 4)), producer="recovery")
    await _publish_as_administrator(unsigned)

    async def refused():
        return await _tray().dead_letters(queue=f"recovery.{ROUTING_KEY}")

    letters = await eventually(refused, lambda found: len(found) == 1)
    assert "arrived without a broker user id" in letters[0].reason
    assert letters[0].attempts == 1
    with pytest.raises(DeadLetterError, match="never replayed"):
        await _tray().replay([letters[0].id], by="a.operator", reason="try it")
    genuine = await publish(DailyRunRequested(business_date=date(2026, 8, 5)), routing_key=ROUTING_KEY)
    assert genuine is not None

    async def applied() -> list[date]:
        return APPLIED

    await eventually(applied, lambda days: date(2026, 8, 5) in days)
    assert date(2026, 8, 3) not in APPLIED and date(2026, 8, 4) not in APPLIED


async def _publish_as_administrator(envelope: Envelope) -> None:
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        await exchange.publish(aio_pika.Message(envelope.to_bytes()), routing_key=ROUTING_KEY)
    finally:
        await connection.close()
