"""Taking a line off a schedule leaves a record (Derby App.1 §11, Sundry 8.7): a reason is required, and who
(the signed-in officer, never a name in the body), when and why are kept in an append-only history shown with
the schedule and with the request."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import pytest

from tests.council_bus import fetch_value
from tests.integration.writeoff.desk import Officer, pending_requests_from_recovery, request_status


async def test_a_line_cannot_be_taken_off_a_schedule_without_a_reason(writeoff_service, client):
    requests = await pending_requests_from_recovery(2, 300_00)
    officer = await Officer.sign_in(client, "derby.officer")
    presented = await officer.schedule(*(r.request_id for r in requests))
    path = f"/api/schedules/{presented['schedule_id']}/lines/{requests[1].request_id}"

    assert (await officer.delete(path)).status_code == 422
    blank = await officer.delete(path, {"reason": "   "})
    assert blank.status_code == 422, blank.text
    assert "give the reason" in blank.json()["reason"]

    still = (await officer.get(f"/api/schedules/{presented['schedule_id']}")).json()
    assert still["schedule_hash"] == presented["schedule_hash"]
    assert still["taken_off"] == []
    assert await request_status(requests[1].request_id) == "scheduled"


async def test_only_a_line_of_the_schedule_can_be_taken_off_it(writeoff_service, client):
    requests = await pending_requests_from_recovery(2, 300_00)
    officer = await Officer.sign_in(client, "derby.officer")
    presented = await officer.schedule(requests[0].request_id)

    refused = await officer.delete(
        f"/api/schedules/{presented['schedule_id']}/lines/{requests[1].request_id}", {"reason": "duplicate"}
    )

    assert refused.status_code == 409, refused.text
    assert "is not a line of schedule" in refused.json()["reason"]
    still = (await officer.get(f"/api/schedules/{presented['schedule_id']}")).json()
    assert still["schedule_hash"] == presented["schedule_hash"]
    assert still["taken_off"] == []
    assert await request_status(requests[1].request_id) == "pending"


async def test_only_an_officer_of_the_schedules_council_can_take_a_line_off_it(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 300_00)
    presented = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    elsewhere = await Officer.sign_in(client, "sundry.officer")

    refused = await elsewhere.delete(
        f"/api/schedules/{presented['schedule_id']}/lines/{requests[0].request_id}", {"reason": "duplicate"}
    )

    assert refused.status_code == 404, refused.text
    assert await request_status(requests[0].request_id) == "scheduled"


async def test_a_line_taken_off_is_kept_in_the_history_of_the_schedule_and_the_request(
    writeoff_service, client
):
    requests = await pending_requests_from_recovery(2, 300_00)
    officer = await Officer.sign_in(client, "derby.officer")
    presented = await officer.schedule(*(r.request_id for r in requests))
    taken_off_request = requests[1].request_id

    taken_off = await officer.delete(
        f"/api/schedules/{presented['schedule_id']}/lines/{taken_off_request}",
        {"reason": "customer traced to a new address"},
    )

    assert taken_off.status_code == 200, taken_off.text
    assert taken_off.json()["line_count"] == 1
    (recorded,) = taken_off.json()["taken_off"]
    assert recorded["request_id"] == str(taken_off_request)
    assert recorded["reason"] == "customer traced to a new address"
    assert recorded["taken_off_by"] == "Debt Management Officer (derby.officer)"
    assert recorded["amount_pence"] == 300_00
    assert recorded["taken_off_at"]

    schedule = (await officer.get(f"/api/schedules/{presented['schedule_id']}")).json()
    assert schedule["taken_off"] == [recorded]
    request = (await officer.get(f"/api/requests/{taken_off_request}")).json()
    assert request["status"] == "pending"
    assert request["schedule_id"] is None
    assert request["taken_off_schedules"] == [recorded]


async def test_the_history_of_lines_taken_off_cannot_be_changed_or_deleted(writeoff_service, client):
    requests = await pending_requests_from_recovery(2, 200_00)
    officer = await Officer.sign_in(client, "derby.officer")
    presented = await officer.schedule(*(r.request_id for r in requests))
    answer = await officer.delete(
        f"/api/schedules/{presented['schedule_id']}/lines/{requests[0].request_id}",
        {"reason": "paid in full"},
    )
    assert answer.status_code == 200, answer.text

    with pytest.raises(asyncpg.RaiseError, match="only ever added"):
        await fetch_value(
            "UPDATE writeoff.schedule_line_taken_off SET reason = 'typo' WHERE schedule_id = $1 RETURNING 1",
            UUID(presented["schedule_id"]),
        )
    with pytest.raises(asyncpg.RaiseError, match="only ever added"):
        await fetch_value(
            "DELETE FROM writeoff.schedule_line_taken_off WHERE schedule_id = $1 RETURNING 1",
            UUID(presented["schedule_id"]),
        )
