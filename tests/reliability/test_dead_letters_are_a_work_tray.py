"""Dead letters are a work tray: an operator sees each with its reason, replays it after the fix (safely: the
inbox applies an event once), or discards it with a reason; who acted and why is kept."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import date
from uuid import uuid4

import httpx
import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunRequested
from shared.messaging.dead_letter_tray import DeadLetterError, DeadLetterTray
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from tests.council_bus import eventually, fetch_value, publish
from tests.identity import officer_headers

ROUTING_KEY = f"recovery.tray_test_{uuid4().hex}.requested"
QUEUE = f"recovery.{ROUTING_KEY}"
FIXED: dict[str, bool] = {"fixed": False}
APPLIED: list[date] = []
router = InboxRouter[None, None]()


@router.handles(DailyRunRequested, routing_key=ROUTING_KEY)
async def refuse_until_fixed(message: DailyRunRequested, handling: Handling[None, None]) -> None:
    """Fails every time until the fix is deployed, then applies the day."""
    if not FIXED["fixed"]:
        raise ValueError("no timetable for this council yet")
    APPLIED.append(message.business_date)


@pytest.fixture
async def recovery() -> AsyncIterator[ServiceRuntime]:
    settings = PlatformSettings(max_delivery_attempts=2)
    runtime = ServiceRuntime("recovery", description="tray test", settings=settings)
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


async def _dead_lettered(envelope: Envelope):
    async def ours():
        return [d for d in await _tray().dead_letters(queue=QUEUE) if d.event_id == str(envelope.event_id)]

    return (await eventually(ours, lambda found: len(found) == 1))[0]


async def test_a_dead_letter_is_replayed_after_the_fix_once_and_the_replay_is_recorded(recovery) -> None:
    sent = await publish(DailyRunRequested(business_date=date(2026, 6, 1)), routing_key=ROUTING_KEY)
    assert sent is not None
    letter = await _dead_lettered(sent)
    assert letter.reason == "ValueError: no timetable for this council yet"
    assert letter.attempts == 2 and letter.times_dead_lettered == 1 and letter.settlement is None
    assert b"2026-06-01" in await _tray().body_of(letter.id)

    FIXED["fixed"] = True
    assert await _tray().replay([letter.id], by="a.operator", reason="timetable deployed") == 1

    async def applied() -> list[date]:
        return APPLIED

    await eventually(applied, lambda days: date(2026, 6, 1) in days)
    (settled,) = [
        d for d in await _tray().dead_letters(include_settled=True, queue=QUEUE) if d.id == letter.id
    ]
    assert (settled.settlement, settled.settled_by, settled.settlement_reason) == (
        "replayed",
        "a.operator",
        "timetable deployed",
    )
    assert letter.id not in [d.id for d in await _tray().dead_letters(queue=QUEUE)]
    assert (
        await fetch_value(
            "SELECT acted_by || ': ' || reason FROM recovery.dead_letter_action WHERE dead_letter_id = $1",
            letter.id,
        )
        == "a.operator: timetable deployed"
    )
    with pytest.raises(DeadLetterError, match="already settled"):
        await _tray().replay([letter.id], by="a.operator", reason="again")
    FIXED["fixed"] = False


async def test_a_dead_letter_is_discarded_with_the_reason_and_never_replayed(recovery) -> None:
    sent = await publish(DailyRunRequested(business_date=date(2026, 6, 2)), routing_key=ROUTING_KEY)
    assert sent is not None
    letter = await _dead_lettered(sent)
    with pytest.raises(DeadLetterError, match="who did it and why"):
        await _tray().discard([letter.id], by="a.operator", reason=" ")
    assert (
        await _tray().discard([letter.id], by="a.operator", reason="sent in error by the test council") == 1
    )
    assert letter.id not in [d.id for d in await _tray().dead_letters(queue=QUEUE)]
    assert date(2026, 6, 2) not in APPLIED


async def test_over_http_an_operator_replays_a_dead_letter_and_is_recorded_from_the_token(recovery) -> None:
    app = recovery.served_http_app()
    sent = await publish(DailyRunRequested(business_date=date(2026, 6, 3)), routing_key=ROUTING_KEY)
    assert sent is not None
    letter = await _dead_lettered(sent)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://recovery"
    ) as client:
        listed = (
            await client.get("/dead-letters", params={"queue": QUEUE}, headers=officer_headers("auditor"))
        ).json()
        assert listed["waiting"] >= 1 and listed["oldest_waiting_age_seconds"] >= 0
        assert [d["reason"] for d in listed["dead_letters"] if d["id"] == letter.id] == [
            "ValueError: no timetable for this council yet"
        ]
        assert "body" not in listed["dead_letters"][0]
        auditor_reads_body = await client.get(
            f"/dead-letters/{letter.id}/message", headers=officer_headers("auditor")
        )
        assert auditor_reads_body.status_code == 403  # the body carries personal data
        body = await client.get(f"/dead-letters/{letter.id}/message", headers=officer_headers("operations"))
        assert b"2026-06-03" in body.content
        officer_replays = await client.post(
            "/dead-letters/replay",
            json={"ids": [letter.id], "reason": "not mine to replay"},
            headers=officer_headers("revenues.officer"),
        )
        assert officer_replays.status_code == 403
        FIXED["fixed"] = True
        replayed = await client.post(
            "/dead-letters/replay",
            json={"ids": [letter.id], "reason": "timetable deployed", "by": "someone else"},
            headers=officer_headers("operations"),
        )
        assert replayed.status_code == 422  # who acted is never taken from the body
        replayed = await client.post(
            "/dead-letters/replay",
            json={"ids": [letter.id], "reason": "timetable deployed"},
            headers=officer_headers("operations"),
        )
        again = await client.post(
            "/dead-letters/replay",
            json={"ids": [letter.id], "reason": "again"},
            headers=officer_headers("operations"),
        )
    assert replayed.json() == {
        "settlement": "replayed",
        "count": 1,
        "by": "Operations Duty Engineer (operations)",
    }
    assert again.status_code == 409

    async def applied() -> list[date]:
        return APPLIED

    await eventually(applied, lambda days: date(2026, 6, 3) in days)
    FIXED["fixed"] = False
