"""The messaging backbone loses nothing and applies nothing twice, whatever crashes or arrives."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import date
from uuid import uuid4

import aio_pika
import asyncpg
import pytest

from shared.broker_identity import amqp_url_for
from shared.contracts.billing import DebtRaised
from shared.contracts.envelope import Envelope
from shared.messaging.relay import OutboxRelay
from shared.persistence.database import asyncpg_dsn
from tests.council_bus import database, eventually, fetch_value, publish


def a_debt_raised(**overrides) -> DebtRaised:
    values = dict(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="council_tax",
        amount_pence=150_00,
        financial_year="2026/27",
        due_date=date(2026, 5, 1),
        raised_on=date(2026, 4, 1),
        originating_service="Revenues",
        income_code="CT01",
        external_reference=f"CT-{uuid4()}",
        evidence_reference="annual bill 2026",
    )
    values.update(overrides)
    return DebtRaised(**values)


async def cases_for(debt_id) -> int:
    return await fetch_value("SELECT count(*) FROM recovery.recovery_case WHERE debt_id = $1", debt_id)


@pytest.fixture
async def recovery_consuming():
    from services.recovery.bootstrap import bootstrap

    runtime = bootstrap().runtime
    await runtime.start()
    yield runtime
    await runtime.stop()


class RelayKilledBeforeMarking(Exception):
    """Stands for the process dying between the broker's confirm and the commit of the mark."""


class RelayThatDiesAfterPublishing(OutboxRelay):
    async def _mark_published(self, connection, positions):
        raise RelayKilledBeforeMarking()


async def test_an_event_published_but_not_marked_is_published_again_and_applied_once(recovery_consuming):
    debt = a_debt_raised()
    envelope = Envelope.wrap(debt, producer="billing")
    connection = await database()
    await connection.execute(
        "INSERT INTO billing.outbox (event_id, routing_key, body) VALUES ($1, $2, $3)",
        envelope.event_id,
        envelope.type,
        envelope.to_bytes(),
    )
    # Billing's relay, connected as billing's broker user (consumers refuse billing's events from anyone else).
    billing_amqp_url = amqp_url_for(
        "billing", os.environ["AMQP_URL"], os.environ.get("BROKER_PASSWORDS_FILE")
    )
    settings = dict(
        database_url=os.environ["DATABASE_URL"], amqp_url=billing_amqp_url, exchange="council.events"
    )
    broker = await aio_pika.connect(billing_amqp_url)
    channel = await broker.channel(publisher_confirms=True)
    await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
    relay_connection = await asyncpg.connect(asyncpg_dsn(os.environ["DATABASE_URL"]))

    dying = RelayThatDiesAfterPublishing("billing", **settings)
    # Only this test's row: other tests of the session may have left many rows unpublished ahead of it.
    dying._select = dying._select.replace(
        "WHERE published_at IS NULL", f"WHERE published_at IS NULL AND event_id = '{envelope.event_id}'"
    )
    with pytest.raises(RelayKilledBeforeMarking):
        await dying.relay_batch(relay_connection, await channel.get_underlay_channel())
    await relay_connection.close()
    await broker.close()
    # The broker has it (confirmed), the outbox still says unpublished.
    assert await connection.fetchval(
        "SELECT published_at IS NULL FROM billing.outbox WHERE event_id = $1", envelope.event_id
    )
    # Generous: earlier tests of the session may have left thousands of debts queued for recovery ahead of ours.
    await eventually(lambda: cases_for(debt.debt_id), lambda n: n == 1, timeout=180)

    duplicates_before = recovery_consuming.inbox.duplicates
    survivor = OutboxRelay("billing", **settings)
    relaying = asyncio.create_task(survivor.run())
    await eventually(
        lambda: connection.fetchval(
            "SELECT published_at IS NOT NULL FROM billing.outbox WHERE event_id = $1", envelope.event_id
        ),
        bool,
        timeout=180,
    )
    await eventually(
        lambda: asyncio.sleep(0, recovery_consuming.inbox.duplicates),
        lambda n: n > duplicates_before,
        timeout=180,
    )
    relaying.cancel()
    assert await cases_for(debt.debt_id) == 1
    await connection.close()


async def test_the_same_message_delivered_twice_changes_state_once(recovery_consuming):
    debt = a_debt_raised()
    envelope = Envelope.wrap(debt, producer="billing")
    await publish(envelope)
    await publish(envelope)
    await eventually(lambda: cases_for(debt.debt_id), lambda n: n == 1)
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM recovery.inbox WHERE event_id = $1", envelope.event_id),
        lambda n: n == 1,
    )
    await asyncio.sleep(0.5)  # give a wrongly-applied second delivery the chance to show itself
    assert await cases_for(debt.debt_id) == 1


async def dead_letters_in_queue(queue: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    channel = await connection.channel()
    found = []
    dead_letter_queue = await channel.get_queue(f"{queue}.dead-letter", ensure=True)
    # Held unacknowledged while we look, so each is seen once; closing the channel returns them all.
    while (message := await dead_letter_queue.get(fail=False, no_ack=False)) is not None:
        found.append(message)
    await connection.close()
    return found


@pytest.mark.parametrize(
    ("malformed", "reason_contains"),
    [
        (b"{this is not json", "not valid JSON"),
        ("wrong schema", "does not fit its contract"),
        ("unknown version", "unknown version 99"),
    ],
)
async def test_a_malformed_message_is_dead_lettered_with_its_reason_and_the_next_one_still_processed(
    recovery_consuming, malformed, reason_contains
):
    marker = str(uuid4())
    if malformed == "wrong schema":
        good = Envelope.wrap(a_debt_raised(), producer="billing").model_dump(mode="json")
        good["data"]["amount_pence"] = "a lot"
        good["data"]["external_reference"] = marker
        body = json.dumps(good).encode()
    elif malformed == "unknown version":
        good = Envelope.wrap(a_debt_raised(external_reference=marker), producer="billing").model_dump(
            mode="json"
        )
        good["version"] = 99
        body = json.dumps(good).encode()
    else:
        body = malformed + marker.encode()
    await publish(body, routing_key=DebtRaised.message_type)
    following = a_debt_raised()
    await publish(following)

    await eventually(lambda: cases_for(following.debt_id), lambda n: n == 1)
    recorded = await eventually(
        lambda: fetch_value(
            "SELECT json_build_object('reason', reason, 'attempts', attempts) FROM recovery.dead_letter "
            "WHERE position($1 in convert_from(body, 'UTF8')) > 0",
            marker,
        ),
        lambda row: row is not None,
    )
    recorded = json.loads(recorded)
    assert reason_contains in recorded["reason"]
    assert recorded["attempts"] == int(os.environ.get("MAX_DELIVERY_ATTEMPTS", 5))
    letters = await dead_letters_in_queue("recovery.billing.debt.raised")
    ours = [m for m in letters if marker.encode() in m.body]
    assert len(ours) == 1
    assert reason_contains in ours[0].headers["x-dead-letter-reason"]
