"""A batch of publishes sent in one write is confirmed message by message, and fails loudly rather than hangs."""

from __future__ import annotations

import asyncio
import os
from uuid import uuid4

import aio_pika
import aiormq
import pytest

from shared.messaging.confirmed_publishing import OutgoingMessage, publish_batch


@pytest.fixture
async def confirming_channel():
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    channel = await connection.channel(publisher_confirms=True)
    yield channel
    await connection.close()


async def test_every_message_of_a_batch_is_confirmed_and_arrives_whole_in_order(confirming_channel) -> None:
    exchange = await confirming_channel.declare_exchange(
        f"test.batch.{uuid4().hex}", aio_pika.ExchangeType.TOPIC, auto_delete=True
    )
    queue = await confirming_channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="#")
    large = b'{"note": "' + b"x" * 300_000 + b'"}'  # more than one frame: split as aiormq splits it
    messages = [
        OutgoingMessage(f"billing.event{n % 3}.happened", f'{{"n": {n}}}'.encode(), str(uuid4()), "billing")
        for n in range(499)
    ] + [OutgoingMessage("billing.large.happened", large, str(uuid4()), "billing")]

    confirmations = await asyncio.wait_for(
        asyncio.gather(
            *await publish_batch(await confirming_channel.get_underlay_channel(), exchange.name, messages)
        ),
        30,
    )

    assert all(isinstance(c, aiormq.spec.Basic.Ack) for c in confirmations)
    received = []
    async with queue.iterator() as deliveries:
        async for delivery in deliveries:
            received.append(delivery)
            await delivery.ack()
            if len(received) == len(messages):
                break
    assert [d.body for d in received] == [m.body for m in messages]
    assert [d.message_id for d in received] == [m.message_id for m in messages]
    assert [d.routing_key for d in received] == [m.routing_key for m in messages]
    assert {d.type for d in received} == {m.routing_key for m in messages}
    assert {(d.app_id, d.delivery_mode, d.content_type) for d in received} == {
        ("billing", aio_pika.DeliveryMode.PERSISTENT, "application/json")
    }


async def test_a_batch_to_a_missing_exchange_fails_every_confirmation_instead_of_hanging(
    confirming_channel,
) -> None:
    # The broker closes the channel: the relay must see failures (and retry its rows), never wait forever.
    messages = [OutgoingMessage("billing.debt.raised", b"{}", str(uuid4())) for _ in range(20)]
    futures = await publish_batch(
        await confirming_channel.get_underlay_channel(), f"no-such-exchange-{uuid4().hex}", messages
    )

    outcomes = await asyncio.wait_for(asyncio.gather(*futures, return_exceptions=True), 30)

    assert all(isinstance(outcome, BaseException) for outcome in outcomes)


async def test_publishing_a_batch_needs_a_channel_in_confirm_mode() -> None:
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    try:
        channel = await connection.channel(publisher_confirms=False)
        with pytest.raises(TypeError, match="confirm mode"):
            await publish_batch(await channel.get_underlay_channel(), "council.events", [])
    finally:
        await connection.close()
