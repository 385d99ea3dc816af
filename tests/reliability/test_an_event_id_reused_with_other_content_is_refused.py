"""A redelivered event is absorbed by the inbox; an event id arriving again with different content is a producer's
bug or a forgery, so it is refused at once and reported in the dead-letter tray, never dropped in silence."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import date
from uuid import uuid4

import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.dead_letter_tray import DeadLetterTray
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import eventually, publish

ROUTING_KEY = f"recovery.reuse_test_{uuid4().hex}.requested"
APPLIED: list[date] = []
router = InboxRouter[None, None]()


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY)
async def apply_the_day(message: DailyRunRequested, handling: Handling[None, None]) -> None:
    """Applies the day asked for."""
    APPLIED.append(message.business_date)


@pytest.fixture
async def recovery() -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime("recovery", description="reuse test", settings=PlatformSettings())
    runtime.include(router, stores=lambda session: None, service=None)
    await runtime.start()
    yield runtime
    await runtime.stop()


async def test_the_same_event_twice_is_applied_once_and_other_content_under_its_id_is_dead_lettered(
    recovery,
) -> None:
    genuine = Envelope.wrap(DailyRunRequested(business_date=date(2026, 7, 1)), producer="test")
    await publish(genuine, routing_key=ROUTING_KEY)
    await publish(genuine, routing_key=ROUTING_KEY)  # a redelivery: the same bytes
    forged = genuine.model_copy(update={"data": {"business_date": "2026-07-02"}})
    await publish(forged, routing_key=ROUTING_KEY)
    tray = DeadLetterTray(
        "recovery",
        database_url=os.environ["DATABASE_URL"],
        amqp_url=os.environ["AMQP_URL"],
        broker_passwords_file=os.environ.get("BROKER_PASSWORDS_FILE"),
    )

    async def refused():
        return await tray.dead_letters(queue=f"recovery.{ROUTING_KEY}")

    (letter,) = await eventually(refused, lambda found: len(found) == 1)
    assert (
        letter.reason
        == f"EventIdReused: event id {genuine.event_id} was already received with different content"
    )
    assert letter.attempts == 1  # refused at once: retrying cannot cure it
    assert [date(2026, 7, 1)] == APPLIED
    assert recovery.inbox.duplicates == 1
