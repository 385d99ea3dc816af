"""Issue 19, against the real broker and database: when a timetable runs out, recovery asks for no write-off by
itself; the case waits, from the day after its last step, in the officers' tray (GET /cases/awaiting-decision),
and an officer decides (POST /cases/{case_id}/exhausted-decision): a write-off with the officer's reason and
evidence (requested as any other, the officer named; a refusal brings the case back), an arrangement (made through
the arrangements route), legal action (legal services, who still have the case, go on: no second referral), or
cancelling recovery (the case closes). Derby's council housing rent: reminder, pre-action protocol letter, legal referral."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.contracts.writeoff import WriteOffRejected
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    Heard,
    a_debt,
    case_row,
    heard_eventually,
    officer_desk,
    raise_debt,
    run_daily,
    steps_of,
)

DUE = date(2026, 5, 1)
LAST_STEP = DUE + timedelta(days=49)  # the legal referral (possession or money claim)
EXHAUSTED_ON = LAST_STEP + timedelta(days=1)
OFFICER = "revenues.officer"


async def _exhausted_rent() -> UUID:
    case_id = await raise_debt(a_debt("council_housing_rent", due=DUE, amount=450_00))
    for day in (DUE + timedelta(days=7), DUE + timedelta(days=21), LAST_STEP, EXHAUSTED_ON):
        await run_daily(day)
    assert [s[0] for s in await steps_of(case_id)] == [
        "arrears_reminder",
        "pre_action_protocol_letter",
        "possession_or_money_claim",
    ]
    return case_id


async def _tray(on: date, person: str = OFFICER, customer_id: UUID | None = None) -> dict[str, Any]:
    params = {"on": on.isoformat(), **({"customer_id": str(customer_id)} if customer_id else {})}
    async with officer_desk(person) as desk:
        answer = await desk.get("/cases/awaiting-decision", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _item(tray: dict[str, Any], case_id: UUID) -> dict[str, Any] | None:
    return next((c for c in tray["cases"] if c["case_id"] == str(case_id)), None)


async def _decide(case_id: UUID, body: dict[str, Any], person: str = OFFICER) -> Any:
    async with officer_desk(person) as desk:
        return await desk.post(f"/cases/{case_id}/exhausted-decision", json=body)


async def test_an_exhausted_timetable_asks_for_no_write_off_and_waits_in_the_officers_tray(
    recovery, heard: Heard
):
    case_id = await _exhausted_rent()
    row = await case_row(case_id)
    assert row["status"] == "open" and row["awaiting_decision_since"] == EXHAUSTED_ON
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    entry = await fetch_value(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'awaiting_decision'", case_id
    )
    assert entry is not None and "officer's decision" in entry

    item = _item(await _tray(EXHAUSTED_ON + timedelta(days=10)), case_id)
    assert item is not None
    assert item["due_for_decision_on"] == EXHAUSTED_ON.isoformat()
    assert item["days_waiting"] == 10
    assert item["balance_pence"] == 450_00
    assert item["last_step"] == "possession_or_money_claim"
    assert _item(await _tray(EXHAUSTED_ON - timedelta(days=1)), case_id) is None  # not yet due that day
    assert _item(await _tray(EXHAUSTED_ON, person="auditor"), case_id) is not None  # auditors read it
    # One customer's cases only, as the single view asks for them.
    liable = await fetch_value("SELECT customer_id FROM recovery.case_customer WHERE case_id = $1", case_id)
    assert _item(await _tray(EXHAUSTED_ON, customer_id=liable), case_id) is not None
    assert _item(await _tray(EXHAUSTED_ON, customer_id=uuid4()), case_id) is None

    # A later daily run that finds it again keeps the day it became due.
    await run_daily(EXHAUSTED_ON + timedelta(days=3))
    assert (await case_row(case_id))["awaiting_decision_since"] == EXHAUSTED_ON


async def test_the_officer_decides_a_write_off_with_their_reason_and_a_refusal_brings_the_case_back(
    recovery, heard: Heard
):
    case_id = await _exhausted_rent()
    answer = await _decide(
        case_id,
        {
            "decision": "write_off",
            "write_off_reason": "absconded_untraceable",
            "evidence": ["tracing agent: no trace"],
            "notes": "tenancy abandoned",
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["amount_pence"] == 450_00
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert request["reason_code"] == "absconded_untraceable"
    assert request["requested_by"].endswith("(revenues.officer)")
    assert "tracing agent: no trace" in request["evidence"] and "tenancy abandoned" in request["evidence"]
    assert (await case_row(case_id))["status"] == "write_off_requested"
    assert _item(await _tray(EXHAUSTED_ON + timedelta(days=5)), case_id) is None
    decided = await fetch_value(
        "SELECT decided_by FROM recovery.exhausted_decision WHERE case_id = $1 AND decision = 'write_off'",
        case_id,
    )
    assert decided is not None and decided.endswith("(revenues.officer)")

    await publish(
        WriteOffRejected(
            request_id=UUID(request["request_id"]),
            debt_id=UUID(request["debt_id"]),
            reason="evidence of tracing too old",
            rejected_on=EXHAUSTED_ON + timedelta(days=6),
            case_id=case_id,
        ),
        producer="writeoff",
    )
    await eventually(lambda: case_row(case_id), lambda row: row["status"] == "open")
    item = _item(await _tray(EXHAUSTED_ON + timedelta(days=7)), case_id)
    assert item is not None and item["last_decision"] == "write_off"
    assert item["due_for_decision_on"] == EXHAUSTED_ON.isoformat()


async def test_cancelling_recovery_closes_the_case_with_the_officers_reason(recovery, heard: Heard):
    case_id = await _exhausted_rent()
    refused = await _decide(case_id, {"decision": "cancel"})
    assert refused.status_code == 422 and "reason" in refused.text
    answer = await _decide(case_id, {"decision": "cancel", "notes": "charge raised on the wrong tenancy"})
    assert answer.status_code == 201, answer.text
    [closed] = await heard_eventually(heard, "recovery.case.closed", case_id=case_id)
    assert "charge raised on the wrong tenancy" in closed["reason"]
    assert (await case_row(case_id))["status"] == "closed"
    assert _item(await _tray(EXHAUSTED_ON + timedelta(days=1)), case_id) is None
    again = await _decide(case_id, {"decision": "arrangement"})
    assert again.status_code == 422 and "not waiting" in again.text


async def test_an_arrangement_decided_is_recorded_and_points_to_the_arrangements_route(recovery):
    case_id = await _exhausted_rent()
    answer = await _decide(case_id, {"decision": "arrangement", "notes": "tenant offered £20 a week"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["next"] == "POST /arrangements"
    item = _item(await _tray(EXHAUSTED_ON + timedelta(days=2)), case_id)
    assert item is not None and item["last_decision"] == "arrangement"  # until the arrangement is made


async def test_legal_action_while_legal_services_have_the_case_is_recorded_without_a_second_referral(
    recovery,
):
    case_id = await _exhausted_rent()
    answer = await _decide(case_id, {"decision": "legal_action", "notes": "possession claim to proceed"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["already_with_legal"] is True
    assert await fetch_value("SELECT count(*) FROM recovery.referral WHERE case_id = $1", case_id) == 1
    assert _item(await _tray(EXHAUSTED_ON + timedelta(days=1)), case_id) is None
    entry = await fetch_value(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'exhausted_decision'",
        case_id,
    )
    assert "legal services, who have the case, go on" in entry and "(revenues.officer)" in entry


async def test_only_officers_decide_and_a_case_not_exhausted_is_not_decided(recovery):
    case_id = await raise_debt(a_debt("council_housing_rent", due=DUE))
    body = {"decision": "arrangement"}
    assert (await _decide(case_id, body, person="auditor")).status_code == 403
    assert (await _decide(case_id, body, person="no.roles")).status_code == 403
    async with officer_desk("no.roles") as desk:
        assert (await desk.get("/cases/awaiting-decision")).status_code == 403
    answer = await _decide(case_id, body)
    assert answer.status_code == 422 and "not waiting" in answer.text
