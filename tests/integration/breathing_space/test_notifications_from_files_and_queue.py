"""Councils that receive notifications as files or from a queue get the same treatment as the HTTPS endpoint:
each document is stored verbatim and taken in; a good file moves to done/, a malformed one is quarantined whole
beside a report saying why; a queued document is taken in once however often it is delivered, and a malformed
one is kept and refused without stopping the queue."""

from __future__ import annotations

import json
from datetime import date

from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from tests.council_bus import database, eventually, fetch_value
from tests.integration.breathing_space.conftest import INBOUND
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    notification,
    raise_debt,
    register,
    send_to_notifications_queue,
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
        (INBOUND / f"{name}.part").write_bytes(body)  # still being written: left alone
        (INBOUND / f"{name}.part").rename(INBOUND / name)
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
    assert started.debt_ids == [debt] and started.customer_ids == [customer]
    await eventually(lambda: _exists(INBOUND / "done" / name), bool)
    assert not (INBOUND / name).exists()
    [stored] = await received(name)
    assert stored["route"] == "folder" and bytes(stored["body"]) == body and stored["outcome"] == "accepted"


async def test_a_malformed_file_is_quarantined_whole_with_a_report(breathing_space):
    name = f"{a_moratorium_reference()}-broken.json"
    body = b'{"schema_version": "1", "kind": "new_standard_breathing_space", "debts": ['
    (INBOUND / name).write_bytes(body)
    quarantined = INBOUND / "quarantine" / name
    report = INBOUND / "quarantine" / f"{name}.report.txt"
    await eventually(lambda: _exists(report), bool)
    assert quarantined.read_bytes() == body
    assert "reason: not JSON" in report.read_text()
    [stored] = await received(name)
    assert stored["outcome"] == "refused" and bytes(stored["body"]) == body


async def test_a_file_of_an_unknown_kind_is_quarantined_with_the_reason(breathing_space):
    name = f"{a_moratorium_reference()}-odd.json"
    (INBOUND / name).write_text(json.dumps({"schema_version": "1", "kind": "bankruptcy_order"}))
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
