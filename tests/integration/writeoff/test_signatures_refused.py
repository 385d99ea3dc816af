"""Signatures that must be refused, each with a clear reason and nothing posted: self-approval, a declared
interest, a signature over a schedule changed since it was presented, approval beyond band (see
test_signing_schedules), and a forged, altered or missing token from the council's identity provider."""

from __future__ import annotations

import base64
import json
from uuid import uuid4

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.council_bus import publish
from tests.integration.writeoff.desk import (
    Officer,
    a_debt,
    debt_known,
    nothing_published_for,
    pending_requests_from_recovery,
    recovery_asks,
    settled_status,
)


async def test_whoever_requested_a_line_cannot_approve_it(writeoff_service, client, bus):
    debt = await debt_known(a_debt(amount_pence=700_00))
    head = await Officer.sign_in(client, "derby.head")
    asked = await head.post(
        "/api/requests",
        {
            "debt_id": str(debt.debt_id),
            "amount_pence": 700_00,
            "reason_code": "uneconomic_small_balance",
            "evidence": [{"kind": "cost assessment", "reference": "CA-9"}],
        },
    )
    assert asked.status_code == 201, asked.text
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(asked.json()["request_id"])

    refused = await head.sign(schedule)
    assert refused.status_code == 403
    assert refused.json()["refusals"][0]["code"] == "self_approval"
    assert "derby.head requested the write-off" in refused.json()["detail"]
    assert await nothing_published_for(schedule)

    colleague = await (await Officer.sign_in(client, "derby.deputy_head")).sign(schedule)
    assert colleague.status_code == 200, colleague.text


async def test_an_approver_with_a_declared_interest_cannot_sign(writeoff_service, client):
    requests = await pending_requests_from_recovery(2, 400_00)
    deputy = await Officer.sign_in(client, "derby.deputy_head")
    declared = await deputy.post(
        "/api/declarations",
        {"kind": "relative", "customer_id": str(requests[1].customer_id), "note": "my brother-in-law"},
    )
    assert declared.status_code == 201, declared.text
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(
        *(r.request_id for r in requests)
    )

    refused = await deputy.sign(schedule)
    assert refused.status_code == 403
    assert "declared an interest (relative)" in refused.json()["detail"]
    assert await nothing_published_for(schedule)


async def test_a_signature_over_a_schedule_changed_since_it_was_presented_is_refused(
    writeoff_service, client, bus
):
    requests = await pending_requests_from_recovery(2, 250_00)
    officer = await Officer.sign_in(client, "derby.officer")
    presented = await officer.schedule(*(r.request_id for r in requests))
    taken_off = await officer.delete(
        f"/api/schedules/{presented['schedule_id']}/lines/{requests[1].request_id}",
        {"reason": "customer traced to a new address"},
    )
    assert taken_off.status_code == 200, taken_off.text

    head = await Officer.sign_in(client, "derby.head")
    refused = await head.sign(presented)
    assert refused.status_code == 409
    assert "has changed since it was presented" in refused.json()["detail"]
    assert await nothing_published_for(presented)

    current = (await head.get(f"/api/schedules/{presented['schedule_id']}")).json()
    assert current["schedule_hash"] != presented["schedule_hash"]
    signed = await head.sign(current)
    assert signed.status_code == 200, signed.text
    (approved,) = await bus.hears("writeoff.write_off.approved", schedule_id=presented["schedule_id"])
    assert approved.request_id == requests[0].request_id


async def test_a_missing_identity_is_refused(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 100_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    unsigned = await client.post(
        f"/api/schedules/{schedule['schedule_id']}/signature",
        json={"schedule_hash": schedule["schedule_hash"], "statement_of_no_interest": True},
    )
    assert unsigned.status_code == 401
    assert unsigned.headers["www-authenticate"].startswith("Bearer")
    assert "bearer token" in unsigned.json()["reason"]
    assert await nothing_published_for(schedule)


async def test_a_token_signed_with_another_key_is_refused(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 100_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    director = await Officer.sign_in(client, "derby.director")
    genuine = director.headers["Authorization"].removeprefix("Bearer ")
    # The director's own claims and key id, signed by someone else's key.
    someone_elses_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged_token = jwt.encode(
        jwt.decode(genuine, options={"verify_signature": False}),
        someone_elses_key,
        algorithm="RS256",
        headers={"kid": jwt.get_unverified_header(genuine)["kid"]},
    )
    forged = {"Authorization": f"Bearer {forged_token}"}
    refused = await Officer(client, "derby.director", forged).sign(schedule)
    assert refused.status_code == 401
    assert "not valid" in refused.json()["reason"]
    assert await nothing_published_for(schedule)


async def test_a_genuine_token_altered_to_name_someone_else_is_refused(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 15_000_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    head = await Officer.sign_in(client, "derby.head")
    header, payload, signature = head.headers["Authorization"].removeprefix("Bearer ").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "derby.director"  # the head tries to pass as the Director of Finance
    claims["roles"] = ["director_of_finance"]
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = {"Authorization": f"Bearer {header}.{altered}.{signature}"}
    refused = await Officer(client, "derby.director", forged).sign(schedule)
    assert refused.status_code == 401
    assert "not valid" in refused.json()["reason"]
    assert await nothing_published_for(schedule)


async def test_a_person_with_no_write_off_role_is_refused_before_anything_is_read(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 100_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    visitor = await Officer.sign_in(client, "no.roles")
    assert (await visitor.get(f"/api/schedules/{schedule['schedule_id']}")).status_code == 403
    refused = await visitor.sign(schedule)
    assert refused.status_code == 403
    assert "holds none of the roles" in refused.json()["reason"]
    assert await nothing_published_for(schedule)


async def test_an_auditor_reads_a_schedule_but_cannot_sign_it(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 100_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    auditor = await Officer.sign_in(client, "auditor")
    read = await auditor.get(f"/api/schedules/{schedule['schedule_id']}")
    assert read.status_code == 200, read.text
    assert read.json()["schedule_hash"] == schedule["schedule_hash"]
    assert (await auditor.sign(schedule)).status_code == 403
    assert await nothing_published_for(schedule)


async def test_only_a_write_off_officer_builds_schedules(writeoff_service, client):
    head = await Officer.sign_in(client, "derby.head")
    refused = await head.post("/api/schedules", {"request_ids": []})
    assert refused.status_code == 403
    assert "write_off_officer" in refused.json()["reason"]


async def test_an_interest_in_a_jointly_liable_customer_is_an_interest_in_the_debt(writeoff_service, client):
    partner, tenant = uuid4(), uuid4()
    debt = await debt_known(a_debt(customer_ids=[tenant, partner], amount_pence=600_00))
    request = recovery_asks(debt, customer_id=tenant)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    head = await Officer.sign_in(client, "derby.head")
    declared = await head.post(
        "/api/declarations", {"kind": "friend_or_neighbour", "customer_id": str(partner), "note": "next door"}
    )
    assert declared.status_code == 201
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)

    refused = await head.sign(schedule)
    assert refused.status_code == 403
    assert "declared an interest (friend_or_neighbour)" in refused.json()["detail"]
    assert await nothing_published_for(schedule)
