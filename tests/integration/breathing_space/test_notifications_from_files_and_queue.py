"""Councils that receive notifications as files or from a queue get the same treatment as the HTTPS endpoint:
each document is verified by the Insolvency Service's signature, stored verbatim and taken in; a good file
moves to done/, a malformed or unsigned one is quarantined whole beside a report saying why; a queued document
is taken in once however often it is delivered, a malformed one is kept and refused without stopping the queue,
and an unsigned or wrongly signed one (a forged cancellation) changes nothing and is dead-lettered whole with
the reason, while the genuine moratorium stands."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import date

import aio_pika

from shared.contracts.breathing_space import BreathingSpaceHoldEnded, BreathingSpaceHoldStarted
from tests.council_bus import database, eventually, fetch_value
from tests.integration.breathing_space.conftest import INBOUND
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    drop_in_folder,
    notification,
    raise_debt,
    register,
    send_to_notifications_queue,
    signature_headers,
)


async def a_person_with_council_tax():
    person = a_person()
    customer = await register(person)
    reference = f"CT-{str(customer)[:8].upper()}"
    debt = await raise_debt([customer], "council_tax", reference, 84_217)
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM breathing_space.debt WHERE debt_id = $1 AND raised_on IS NOT NULL", debt
        ),
        lambda n: n == 1,
    )
    return person, customer, reference, debt


async def received(source: str) -> list[dict]:
    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT route, body, outcome, reason FROM breathing_space.received_document WHERE source = $1 ORDER BY id",
            source,
        )
        return [dict(r) for r in rows]
    finally:
        await connection.close()


async def test_a_notification_file_is_taken_in_and_moved_to_done(breathing_space):
    person, customer, reference, debt = await a_person_with_council_tax()
    moratorium = a_moratorium_reference()
    body = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(reference, "council_tax", 84_217)],
        start_date=date(2026, 5, 4),
    )
    name = f"{moratorium}.json"
    async with BusListener() as bus:
        drop_in_folder(INBOUND, name, body)  # written as .part (left alone) and renamed when complete
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
    assert started.debt_ids == [debt] and started.customer_ids == [customer]
    await eventually(lambda: _exists(INBOUND / "done" / name), bool)
    assert not (INBOUND / name).exists()
    assert (INBOUND / "done" / f"{name}.signature").exists()  # the signature stays with its document
    [stored] = await received(name)
    assert stored["route"] == "folder" and bytes(stored["body"]) == body and stored["outcome"] == "accepted"


async def test_a_malformed_file_is_quarantined_whole_with_a_report(breathing_space):
    name = f"{a_moratorium_reference()}-broken.json"
    body = b'{"schema_version": "1", "kind": "new_standard_breathing_space", "debts": ['
    drop_in_folder(INBOUND, name, body)
    quarantined = INBOUND / "quarantine" / name
    report = INBOUND / "quarantine" / f"{name}.report.txt"
    await eventually(lambda: _exists(report), bool)
    assert quarantined.read_bytes() == body
    assert "reason: not JSON" in report.read_text()
    [stored] = await received(name)
    assert stored["outcome"] == "refused" and bytes(stored["body"]) == body


async def test_a_file_of_an_unknown_kind_is_quarantined_with_the_reason(breathing_space):
    name = f"{a_moratorium_reference()}-odd.json"
    drop_in_folder(INBOUND, name, json.dumps({"schema_version": "1", "kind": "bankruptcy_order"}).encode())
    report = INBOUND / "quarantine" / f"{name}.report.txt"
    await eventually(lambda: _exists(report), bool)
    assert "unknown kind 'bankruptcy_order'" in report.read_text()


async def test_a_queued_notification_is_taken_in_once_however_often_it_is_delivered(breathing_space):
    person, _customer, reference, debt = await a_person_with_council_tax()
    moratorium = a_moratorium_reference()
    body = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(reference, "council_tax", 84_217)],
        start_date=date(2026, 5, 4),
    )
    async with BusListener() as bus:
        await send_to_notifications_queue(body)
        await send_to_notifications_queue(body)  # the integration sent it twice
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        outcomes = await eventually(lambda: _outcomes(moratorium), lambda found: len(found) == 2)
    assert started.debt_ids == [debt]
    assert sorted(outcomes) == ["accepted", "duplicate"]
    assert len(bus.messages(BreathingSpaceHoldStarted, moratorium)) == 1


async def test_a_malformed_queued_document_is_kept_refused_and_does_not_block_the_queue(breathing_space):
    person, _customer, reference, _debt = await a_person_with_council_tax()
    moratorium = a_moratorium_reference()
    broken = b"this is not a notification " + moratorium.encode()
    good = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(reference, "council_tax", 84_217)],
        start_date=date(2026, 5, 4),
    )
    async with BusListener() as bus:
        await send_to_notifications_queue(broken)
        await send_to_notifications_queue(good)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
    reason = await eventually(
        lambda: fetch_value(
            "SELECT reason FROM breathing_space.received_document WHERE route = 'queue' AND body = $1", broken
        ),
        lambda found: found is not None,
    )
    assert reason.startswith("not JSON")


async def a_genuine_moratorium_on_council_tax():
    person, _customer, reference, debt = await a_person_with_council_tax()
    moratorium = a_moratorium_reference()
    start = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(reference, "council_tax", 84_217)],
        start_date=date(2026, 5, 4),
    )
    forged = notification(
        "cancelled",
        moratorium,
        person,
        [(reference, "council_tax", 84_217)],
        cancelled_on=date(2026, 5, 5),
        cancelled_by="debt_adviser",
        reason="Forged: the debtor has funds.",
    )
    return moratorium, start, forged, debt


async def the_moratorium_stands(moratorium: str, bus: BusListener) -> None:
    """Still open and held, its end not brought forward by anything forged: no hold ended, a 60-day end."""
    await asyncio.sleep(1.0)  # time enough for a forged cancellation to have ended the hold, were it taken in
    assert bus.messages(BreathingSpaceHoldEnded, moratorium) == []
    end = await fetch_value(
        "SELECT end_date FROM breathing_space.moratorium WHERE moratorium_reference = $1", moratorium
    )
    assert end == date(2026, 7, 3)


async def test_an_unsigned_cancellation_on_the_queue_changes_nothing_and_is_dead_lettered(breathing_space):
    moratorium, start, forged, debt = await a_genuine_moratorium_on_council_tax()
    async with BusListener() as bus:
        await send_to_notifications_queue(start)
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        await send_to_notifications_queue(forged, headers={})
        reason = await _refusal_of(forged)
        await the_moratorium_stands(moratorium, bus)
    assert started.debt_ids == [debt]
    assert reason.startswith("not authenticated: missing header(s)")
    dead = await _dead_lettered(forged)
    assert dead.body == forged and dead.headers["x-dead-letter-reason"].startswith("not authenticated")
    assert (
        await fetch_value("SELECT reason FROM breathing_space.dead_letter WHERE body = $1", forged) == reason
    )


async def test_a_cancellation_signed_with_the_wrong_secret_on_the_queue_changes_nothing(breathing_space):
    moratorium, start, forged, _debt = await a_genuine_moratorium_on_council_tax()
    async with BusListener() as bus:
        await send_to_notifications_queue(start)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        await send_to_notifications_queue(forged, headers=signature_headers(forged, secret="not-the-secret"))
        assert await _refusal_of(forged) == "not authenticated: signature does not match"
        await the_moratorium_stands(moratorium, bus)
    assert (await _dead_lettered(forged)).body == forged


async def test_a_genuine_document_altered_on_the_way_is_refused(breathing_space):
    moratorium, start, forged, _debt = await a_genuine_moratorium_on_council_tax()
    async with BusListener() as bus:
        await send_to_notifications_queue(start)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        # Signed as a harmless amendment, then the body swapped for a cancellation.
        await send_to_notifications_queue(forged, headers=signature_headers(start))
        assert await _refusal_of(forged) == "not authenticated: signature does not match"
        await the_moratorium_stands(moratorium, bus)


async def test_an_unsigned_cancellation_in_the_folder_changes_nothing_and_is_quarantined(breathing_space):
    moratorium, start, forged, _debt = await a_genuine_moratorium_on_council_tax()
    async with BusListener() as bus:
        drop_in_folder(INBOUND, f"{moratorium}-start.json", start)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        name = f"{moratorium}-cancelled.json"
        drop_in_folder(INBOUND, name, forged, signature={})
        report = INBOUND / "quarantine" / f"{name}.report.txt"
        await eventually(lambda: _exists(report), bool)
        await the_moratorium_stands(moratorium, bus)
    assert (INBOUND / "quarantine" / name).read_bytes() == forged
    assert "reason: not authenticated: missing header(s)" in report.read_text()


async def test_a_wrongly_signed_file_is_quarantined_with_its_signature(breathing_space):
    moratorium, start, forged, _debt = await a_genuine_moratorium_on_council_tax()
    async with BusListener() as bus:
        drop_in_folder(INBOUND, f"{moratorium}-start.json", start)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        name = f"{moratorium}-cancelled.json"
        drop_in_folder(INBOUND, name, forged, signature=signature_headers(forged, secret="guessed"))
        report = INBOUND / "quarantine" / f"{name}.report.txt"
        await eventually(lambda: _exists(report), bool)
        await the_moratorium_stands(moratorium, bus)
    assert "reason: not authenticated: signature does not match" in report.read_text()
    assert (INBOUND / "quarantine" / f"{name}.signature").exists()


async def _refusal_of(body: bytes) -> str:
    return await eventually(
        lambda: fetch_value(
            "SELECT reason FROM breathing_space.received_document WHERE body = $1 AND outcome = 'refused'",
            body,
        ),
        lambda found: found is not None,
    )


async def _dead_lettered(body: bytes) -> aio_pika.abc.AbstractIncomingMessage:
    """The dead-lettered copy of `body` on the notifications' dead-letter queue (others there are left)."""
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    try:
        channel = await connection.channel()
        queue = await channel.get_queue("breathing_space.insolvency_service.notifications.dead-letter")
        for _ in range(200):
            message = await queue.get(no_ack=False, fail=False)
            if message is None:
                await asyncio.sleep(0.05)
                continue
            if message.body == body:
                await message.ack()
                return message
            await message.nack(requeue=True)
        raise AssertionError("not dead-lettered")
    finally:
        await connection.close()


async def _outcomes(moratorium: str) -> list[str]:
    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT outcome FROM breathing_space.received_document WHERE moratorium_reference = $1 AND route = 'queue'",
            moratorium,
        )
        return [r["outcome"] for r in rows]
    finally:
        await connection.close()


async def _exists(path) -> bool:
    return path.exists()
