"""Sessions end at sign-out, server-side: the signed-out token is refused afterwards though its signature still
verifies. Repeated wrong passwords are throttled per approver and per client address (429 with Retry-After,
the password not checked), counted without the password; a success resets the approver's count."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from services.writeoff.sessions import SessionSigner
from tests.council_bus import fetch_value
from tests.integration.writeoff.desk import Officer, demo_password

# Approvers and addresses no other test signs in as or from, so their locks disturb nothing else.
THROTTLED_PERSON = "rbwm.team_leader"


@pytest.fixture
async def from_address(writeoff_service):
    """A client calling from an address of its own; its counts (and the approver's) are removed afterwards."""
    clients: list[httpx.AsyncClient] = []

    def client_at(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=writeoff_service.http_app, client=(address, 50_000))
        client = httpx.AsyncClient(transport=transport, base_url="http://writeoff.test")
        clients.append(client)
        return client

    yield client_at
    for client in clients:
        await client.aclose()
    await fetch_value(
        "DELETE FROM writeoff.sign_in_failure WHERE subject = ANY($1::text[]) RETURNING 1",
        [THROTTLED_PERSON, "198.51.100.7", "198.51.100.8", "198.51.100.9"]
        + [f"203.0.113.{n}" for n in range(1, 30)],
    )


async def test_a_signed_out_token_is_refused_though_its_signature_still_verifies(writeoff_service, client):
    officer = await Officer.sign_in(client, "derby.director")
    assert (await client.get("/api/me", headers=officer.headers)).status_code == 200

    signed_out = await client.delete("/api/sessions/current", headers=officer.headers)

    assert signed_out.status_code == 204
    token = officer.headers["Authorization"].removeprefix("Bearer ")
    signer: SessionSigner = writeoff_service.http_app.state.service.sessions
    assert signer.verify(token).person_id == "derby.director"  # still genuine and unexpired
    refused = await client.get("/api/me", headers=officer.headers)
    assert refused.status_code == 401
    assert refused.json()["detail"]["reason"] == "the session was signed out: sign in again"
    assert (await Officer.sign_in(client, "derby.director")).person_id == "derby.director"


async def test_a_revoked_session_is_kept_until_it_would_have_expired(writeoff_service, client):
    officer = await Officer.sign_in(client, "derby.director")
    token = officer.headers["Authorization"].removeprefix("Bearer ")
    claims = writeoff_service.http_app.state.service.sessions.verify(token)

    await client.delete("/api/sessions/current", headers=officer.headers)

    kept_until = await fetch_value(
        "SELECT extract(epoch FROM expires_at)::bigint FROM writeoff.revoked_session WHERE session_id = $1",
        claims.session_id,
    )
    assert kept_until == claims.expires_at
    assert await fetch_value("SELECT count(*) FROM writeoff.revoked_session WHERE expires_at <= now()") == 0


async def test_signing_out_of_the_page_ends_the_session_for_its_cookie_too(writeoff_service, client):
    signed_in = await client.post(
        "/sign-in", data={"person_id": "derby.director", "password": demo_password("derby.director")}
    )
    cookie = signed_in.cookies["writeoff_session"]
    assert (await client.get("/approvals", cookies={"writeoff_session": cookie})).status_code == 200

    await client.post("/sign-out", cookies={"writeoff_session": cookie})

    kept = await client.get("/approvals", cookies={"writeoff_session": cookie})
    assert kept.status_code == 401
    assert "signed out" in kept.text


async def test_after_five_wrong_passwords_the_next_is_refused_unchecked_with_when_to_retry(from_address):
    client = from_address("198.51.100.7")
    wrong = {"person_id": THROTTLED_PERSON, "password": "guess"}
    for _ in range(5):
        assert (await client.post("/api/sessions", json=wrong)).status_code == 401

    refused = await client.post(
        "/api/sessions", json={"person_id": THROTTLED_PERSON, "password": demo_password(THROTTLED_PERSON)}
    )

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    # From another address too: the lock is the approver's.
    elsewhere = await from_address("198.51.100.8").post("/api/sessions", json=wrong)
    assert elsewhere.status_code == 429
    recorded = await fetch_value(
        "SELECT row_to_json(f)::text FROM writeoff.sign_in_failure f "
        "WHERE subject_kind = 'person' AND subject = $1",
        THROTTLED_PERSON,
    )
    assert '"failures":5' in recorded
    assert "guess" not in recorded and "password" not in recorded


async def test_forty_wrong_passwords_in_two_seconds_are_not_all_checked(writeoff_service, from_address):
    client = from_address("198.51.100.9")
    directory = writeoff_service.http_app.state.service.directory
    checked = 0
    authenticate = directory.authenticate

    def counting(person_id: str, password: str):  # type: ignore[no-untyped-def]
        nonlocal checked
        checked += 1
        return authenticate(person_id, password)

    directory.authenticate = counting
    try:
        started = time.monotonic()
        responses = await asyncio.gather(
            *(
                client.post("/api/sessions", json={"person_id": THROTTLED_PERSON, "password": f"guess-{n}"})
                for n in range(40)
            )
        )
    finally:
        del directory.authenticate
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [401] * 5 + [429] * 35
    assert checked == 5  # the fifth earned the lock; the other 35 were never checked
    assert time.monotonic() - started < 30


async def test_a_success_resets_the_approvers_count(from_address):
    client = from_address("203.0.113.1")
    for _ in range(4):
        await client.post("/api/sessions", json={"person_id": THROTTLED_PERSON, "password": "guess"})
    assert (await Officer.sign_in(client, THROTTLED_PERSON)).person_id == THROTTLED_PERSON

    for _ in range(4):
        assert (
            await client.post("/api/sessions", json={"person_id": THROTTLED_PERSON, "password": "guess"})
        ).status_code == 401


async def test_one_address_guessing_many_approvers_is_throttled(from_address):
    client = from_address("203.0.113.2")
    guesses = [
        await client.post("/api/sessions", json={"person_id": f"nobody-{n}", "password": "guess"})
        for n in range(21)
    ]
    assert [r.status_code for r in guesses] == [401] * 20 + [429]
    await fetch_value("DELETE FROM writeoff.sign_in_failure WHERE subject LIKE 'nobody-%' RETURNING 1")


async def test_the_sign_in_page_says_how_long_to_wait_once_throttled(from_address):
    client = from_address("203.0.113.3")
    wrong = {"person_id": THROTTLED_PERSON, "password": "guess"}
    for _ in range(5):
        assert (await client.post("/sign-in", data=wrong)).status_code == 401

    throttled = await client.post(
        "/sign-in", data={"person_id": THROTTLED_PERSON, "password": demo_password(THROTTLED_PERSON)}
    )

    assert throttled.status_code == 429
    assert "Too many wrong passwords" in throttled.text
    assert "writeoff_session" not in throttled.cookies
    assert 1 <= int(throttled.headers["Retry-After"]) <= 30
