"""Signing a write-off schedule: one signature approves a schedule whose aggregate is within the signer's band;
otherwise it goes up. The approval records who, when and the hash of exactly the lines approved; approved lines
are announced for billing to post and recovery to close, rejected lines go back to recovery with the reason."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.council_bus import fetch_value
from tests.integration.writeoff.desk import Officer, nothing_published_for, pending_requests_from_recovery


async def test_the_head_of_business_support_signs_a_schedule_within_the_band(writeoff_service, client, bus):
    requests = await pending_requests_from_recovery(2, 800_00)
    officer = await Officer.sign_in(client, "derby.officer")
    schedule = await officer.schedule(*(r.request_id for r in requests))
    assert schedule["aggregate_pence"] == 1600_00
    assert schedule["required_band"]["name"] == "head_of_business_support"

    head = await Officer.sign_in(client, "derby.head")
    signed = await head.sign(schedule)

    assert signed.status_code == 200, signed.text
    assert signed.json()["signed_by"] == "derby.head"
    assert signed.json()["schedule_hash"] == schedule["schedule_hash"]
    approved = await bus.hears("writeoff.write_off.approved", count=2, schedule_id=schedule["schedule_id"])
    assert {a.request_id for a in approved} == {r.request_id for r in requests}
    assert {a.income_code for a in approved} == {"PK100"}
    # Who signed, as the identity provider names them: readable on billing's ledger, unique to the person.
    assert {a.approved_by for a in approved} == {"Head of Business Support and Debt Management (derby.head)"}
    assert {a.case_id for a in approved} == {r.case_id for r in requests}
    recorded = await fetch_value(
        "SELECT presented_hash || ' ' || decided_by || ' ' || statement_of_no_interest "
        "FROM writeoff.schedule_decision WHERE schedule_id = $1",
        UUID(schedule["schedule_id"]),
    )
    assert recorded.startswith(
        f"{schedule['schedule_hash']} Head of Business Support and Debt Management (derby.head) I have no interest"
    )


async def test_partial_approval_returns_the_rejected_lines_to_recovery_with_the_reason(
    writeoff_service, client, bus
):
    requests = await pending_requests_from_recovery(3, 300_00)
    officer = await Officer.sign_in(client, "derby.officer")
    schedule = await officer.schedule(*(r.request_id for r in requests))
    doubtful = str(requests[0].request_id)

    head = await Officer.sign_in(client, "derby.head")
    signed = await head.sign(schedule, {doubtful: "trace report is two years old; trace again"})

    assert signed.status_code == 200, signed.text
    assert signed.json()["approved_lines"] == 2
    assert signed.json()["rejected_lines"] == [
        {"request_id": doubtful, "reason": "trace report is two years old; trace again"}
    ]
    approved = await bus.hears("writeoff.write_off.approved", count=2, schedule_id=schedule["schedule_id"])
    assert doubtful not in {str(a.request_id) for a in approved}
    (rejected,) = await bus.hears("writeoff.write_off.rejected", request_id=doubtful)
    assert rejected.reason == "trace report is two years old; trace again"
    assert rejected.case_id == requests[0].case_id


async def test_a_rejected_line_needs_a_reason(writeoff_service, client):
    requests = await pending_requests_from_recovery(2, 100_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(
        *(r.request_id for r in requests)
    )
    head = await Officer.sign_in(client, "derby.head")
    signed = await head.sign(schedule, {str(requests[0].request_id): "  "})
    assert signed.status_code == 422
    assert "give a reason for rejecting" in signed.json()["detail"]
    assert await nothing_published_for(schedule)


async def test_every_signature_carries_the_statement_of_no_interest(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 100_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    signed = await (await Officer.sign_in(client, "derby.head")).sign(schedule, no_interest=False)
    assert signed.status_code == 422
    assert "statement that you have no interest" in signed.json()["detail"]
    assert await nothing_published_for(schedule)


async def test_a_12000_pound_derby_write_off_needs_the_director_of_finance(writeoff_service, client, bus):
    requests = await pending_requests_from_recovery(1, 12_000_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    assert schedule["required_band"]["title"] == "Director of Finance as Section 151 Officer"

    refused = await (await Officer.sign_in(client, "derby.head")).sign(schedule)
    assert refused.status_code == 403
    assert "beyond your band" in refused.json()["detail"]
    assert "goes up to Director of Finance" in refused.json()["detail"]
    assert await nothing_published_for(schedule)

    signed = await (await Officer.sign_in(client, "derby.director")).sign(schedule)
    assert signed.status_code == 200, signed.text
    await bus.hears("writeoff.write_off.approved", schedule_id=schedule["schedule_id"])


async def test_cabinet_decides_a_derby_schedule_of_20000_pounds_or_more_recorded_with_its_meeting(
    writeoff_service, client, bus
):
    requests = await pending_requests_from_recovery(3, 8_000_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(
        *(r.request_id for r in requests)
    )
    assert schedule["required_band"]["committee"] == "Cabinet"

    director = await (await Officer.sign_in(client, "derby.director")).sign(schedule)
    assert director.status_code == 403
    assert "needs a decision of Cabinet" in director.json()["detail"]
    assert await nothing_published_for(schedule)

    clerk = await Officer.sign_in(client, "derby.clerk")
    recorded = await clerk.post(
        f"/api/schedules/{schedule['schedule_id']}/committee-decision",
        {
            "committee": "Cabinet",
            "meeting_reference": "CAB-2026-11 item 7",
            "meeting_date": "2026-11-18",
            "schedule_hash": schedule["schedule_hash"],
        },
    )
    assert recorded.status_code == 200, recorded.text
    approved = await bus.hears("writeoff.write_off.approved", count=3, schedule_id=schedule["schedule_id"])
    assert {a.approved_by for a in approved} == {"Cabinet (CAB-2026-11 item 7, 2026-11-18)"}
    assert await fetch_value(
        "SELECT meeting_date FROM writeoff.schedule_decision WHERE schedule_id = $1",
        UUID(schedule["schedule_id"]),
    ) == date(2026, 11, 18)


async def test_a_committee_decision_needs_its_meeting_reference(writeoff_service, client):
    requests = await pending_requests_from_recovery(1, 25_000_00)
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(requests[0].request_id)
    clerk = await Officer.sign_in(client, "derby.clerk")
    recorded = await clerk.post(
        f"/api/schedules/{schedule['schedule_id']}/committee-decision",
        {
            "committee": "Cabinet",
            "meeting_reference": " ",
            "meeting_date": "2026-11-18",
            "schedule_hash": schedule["schedule_hash"],
        },
    )
    assert recorded.status_code == 422
    assert "meeting reference" in recorded.json()["detail"]
    assert await nothing_published_for(schedule)


async def test_a_30000_pound_sundry_schedule_of_small_lines_cannot_be_signed_by_a_cob_member(
    writeoff_service, client
):
    officer = await Officer.sign_in(client, "sundry.officer")
    from tests.integration.writeoff.desk import a_debt, debt_known

    request_ids = []
    for _ in range(7):
        debt = await debt_known(a_debt(amount_pence=4_500_00))
        asked = await officer.post(
            "/api/requests",
            {
                "debt_id": str(debt.debt_id),
                "amount_pence": 4_500_00,
                "reason_code": "deceased_no_estate",
                "evidence": [{"kind": "death certificate", "reference": "DC-1"}],
            },
        )
        assert asked.status_code == 201, asked.text
        request_ids.append(asked.json()["request_id"])
    schedule = await officer.schedule(*request_ids)
    assert schedule["aggregate_pence"] == 31_500_00
    assert schedule["required_band"]["committee"] == "Executive"

    cob = await (await Officer.sign_in(client, "sundry.cob")).sign(schedule)
    assert cob.status_code == 403
    assert "needs a decision of Executive" in cob.json()["detail"]
    assert await nothing_published_for(schedule)
