"""A service may answer a message that does not fit its contract (a council system is told its charge was
refused, and why) instead of leaving it in the dead-letter tray; the answer is given once per event."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.dead_letter_tray import DeadLetterTray
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import eventually, publish

ROUTING_KEY = f"recovery.answer_test_{uuid4().hex}.requested"
ANSWERED: list[tuple[str, str]] = []
router = InboxRouter[None, None]()


async def tell_the_sender(envelope: Envelope, reason: str, handling: Handling[None, None]) -> None:
    """Stands for a refusal published to the sender."""
    ANSWERED.append((str(envelope.event_id), reason))


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY, refuses_invalid=tell_the_sender)
async def run_the_day(message: DailyRunRequested, handling: Handling[None, None]) -> None:
    """Never reached by a message that does not fit."""
    raise AssertionError("an invalid message reached the handler")


@pytest.fixture
async def recovery() -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime("recovery", description="answer test", settings=PlatformSettings())
    runtime.include(router, stores=lambda session: None, service=None)
    await runtime.start()
    yield runtime
    await runtime.stop()


async def test_a_message_beyond_the_bounds_is_answered_once_and_never_dead_lettered(recovery) -> None:
    envelope = Envelope(
        type=DailyRunRequested.message_type,
        version=1,
        correlation_id=uuid4(),
        producer="test",
        data={"business_date": "0001-01-01"},
    )
    await publish(envelope, routing_key=ROUTING_KEY)
    await publish(envelope, routing_key=ROUTING_KEY)  # redelivered: answered once only

    async def answers() -> list[tuple[str, str]]:
        return [a for a in ANSWERED if a[0] == str(envelope.event_id)]

    (answer,) = await eventually(answers, lambda found: len(found) == 1)
    assert "year 1 is outside 1900-2200" in answer[1]

    async def deliveries_taken() -> int:
        return recovery.inbox.handled + recovery.inbox.duplicates

    await eventually(deliveries_taken, lambda taken: taken == 2)
    assert len(await answers()) == 1
    tray = DeadLetterTray(
        "recovery",
        database_url=os.environ["DATABASE_URL"],
        amqp_url=os.environ["AMQP_URL"],
        broker_passwords_file=os.environ.get("BROKER_PASSWORDS_FILE"),
    )
    assert await tray.dead_letters(queue=f"recovery.{ROUTING_KEY}") == []
