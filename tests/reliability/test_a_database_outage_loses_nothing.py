"""A database outage is the most ordinary fault there is: while PostgreSQL is stopped and started again, good
messages wait, use up no delivery attempt, never reach a dead-letter queue, and are all applied once it is back."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from datetime import date, timedelta
from uuid import uuid4

import aio_pika
import asyncpg
import pytest

from deploy.local import infra
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.persistence import migrations
from shared.persistence.database import asyncpg_dsn
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import connect_as

MESSAGES = 300
ROUTING_KEY = f"recovery.outage_test_{uuid4().hex}.requested"
router = InboxRouter[None, None]()


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY)
async def applied(message: DailyRunRequested, handling: Handling[None, None]) -> None:
    """Nothing but the inbox row the delivery leaves: its count is the count of messages applied."""


@pytest.fixture
async def own_database() -> AsyncIterator[infra.InfraProfile]:
    """A PostgreSQL of this test's own, so that stopping it disturbs no other test."""
    profile = infra.ephemeral_profile("outage")
    await asyncio.to_thread(infra.start_postgres, profile, fresh=True)
    await asyncio.to_thread(migrations.upgrade, profile.database_url)
    yield profile
    await asyncio.to_thread(infra.stop_postgres, profile)
    shutil.rmtree(profile.folder, ignore_errors=True)


async def _count(profile: infra.InfraProfile, sql: str) -> int:
    connection = await asyncpg.connect(asyncpg_dsn(profile.database_url))
    try:
        return int(await connection.fetchval(sql))
    finally:
        await connection.close()


async def test_messages_arriving_while_the_database_is_down_are_applied_once_it_is_back(own_database) -> None:
    profile = own_database
    settings = PlatformSettings(
        database_url=profile.database_url,
        amqp_url=os.environ["AMQP_URL"],
        broker_passwords_file=os.environ.get("BROKER_PASSWORDS_FILE"),
    )
    runtime = ServiceRuntime("recovery", description="outage test", settings=settings)
    runtime.include(router, stores=lambda session: None, service=None)
    await runtime.start()
    connection = await connect_as("recovery")
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)

        async def publish_steadily() -> None:
            for n in range(MESSAGES):
                envelope = Envelope.wrap(
                    DailyRunRequested(business_date=date(2026, 4, 1) + timedelta(days=n)), producer="test"
                )
                await exchange.publish(
                    aio_pika.Message(
                        envelope.to_bytes(),
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        user_id="recovery",
                    ),
                    routing_key=ROUTING_KEY,
                )
                await asyncio.sleep(0.02)

        publishing = asyncio.create_task(publish_steadily())
        await asyncio.sleep(1.0)
        await asyncio.to_thread(infra.stop_postgres, profile)  # about 6 s of the traffic finds no database
        await asyncio.sleep(6.0)
        await asyncio.to_thread(infra.start_postgres, profile)
        await publishing

        applied_sql = (
            "SELECT count(*) FROM recovery.inbox WHERE message_type = 'recovery.daily_run.requested'"
        )
        for _ in range(600):
            if await _count(profile, applied_sql) >= MESSAGES:
                break
            await asyncio.sleep(0.1)
        assert await _count(profile, applied_sql) == MESSAGES
        assert await _count(profile, "SELECT count(*) FROM recovery.dead_letter") == 0
        dead_letter_queue = await channel.declare_queue(
            f"recovery.{ROUTING_KEY}.dead-letter", durable=True, arguments={"x-queue-type": "quorum"}
        )
        assert dead_letter_queue.declaration_result.message_count == 0
        assert runtime.inbox.dead_lettered == 0
        assert runtime.inbox.handled == MESSAGES
    finally:
        await connection.close()
        await runtime.stop()
