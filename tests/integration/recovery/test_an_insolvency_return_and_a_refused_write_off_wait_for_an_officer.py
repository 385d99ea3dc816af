"""Issue 19, against the real broker and database. An agent's return reporting an insolvency asks for no write-off
at once (an insolvency write-off reaches only the debt owed up to the date of the order, Derby App.1 §7, which the
agent does not give): the case waits in the officers' decision tray, and the officer's write-off for insolvency
states the order's date and what was owed on it, carried into `recovery.write_off.requested`. A write-off the
write-off service refuses, however it was asked for, puts the case in the tray with the refusal as why."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.contracts.agents_gateway import CaseReturnedByAgent
from shared.contracts.writeoff import WriteOffRejected
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import case_row, heard_eventually, officer_desk, run_daily
from tests.integration.recovery.test_case_outcomes import day, referred_council_tax

OWED = 800_00 + 80_00 + 40_00  # the council tax, the summons costs and the liability order costs
AGENT_REPORTS_INSOLVENCY = "the agent reports an insolvency: record the order's date and what was owed on it"


async def _returned(heard: Any, reason: str, notes: str) -> tuple[Any, UUID]:
    debt, case_id, referral = await referred_council_tax(heard)
    await publish(
        CaseReturnedByAgent(
            referral_id=referral["referral_id"],
            debt_id=debt.debt_id,
            agent="Marston",
            reason=reason,
            returned_on=day(130),
            notes=notes,
        ),
        producer="agents_gateway",
    )
    return debt, case_id


async def _tray_item(case_id: UUID, on: Any) -> dict[str, Any] | None:
    async with officer_desk() as desk:
        answer = await desk.get("/cases/awaiting-decision", params={"on": on.isoformat()})
    assert answer.status_code == 200, answer.text
    return next((c for c in answer.json()["cases"] if c["case_id"] == str(case_id)), None)


async def _decide(case_id: UUID, body: dict[str, Any]) -> Any:
    async with officer_desk() as desk:
        return await desk.post(f"/cases/{case_id}/exhausted-decision", json=body)


async def test_an_agents_insolvency_return_waits_for_the_officer_to_record_the_order(recovery, heard):
    _, case_id = await _returned(heard, "Bankrupt", "bankruptcy order seen at the address")
    row = await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
    assert row["awaiting_decision_since"] == day(130) and row["status"] == "open"
    assert row["next_step_eligible_from"] is None  # the timetable takes no step by itself meanwhile
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    item = await _tray_item(case_id, day(131))
    assert item is not None
    assert item["why"] == AGENT_REPORTS_INSOLVENCY
    assert item["due_for_decision_on"] == day(130).isoformat() and item["balance_pence"] == OWED
    entry = await fetch_value(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'awaiting_decision'", case_id
    )
    assert "Marston" in entry and AGENT_REPORTS_INSOLVENCY in entry

    await run_daily(day(290))  # past the timetable's write-off point: still the officer's decision
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []


async def test_a_write_off_for_insolvency_without_the_order_or_beyond_the_balance_is_refused(recovery, heard):
    _, case_id = await _returned(heard, "insolvent", "")
    await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
    asked = {"decision": "write_off", "write_off_reason": "insolvency", "notes": "bankruptcy order"}
    missing = await _decide(case_id, asked)
    assert missing.status_code == 422
    assert "insolvency_order_date and owed_at_order_date_pence" in missing.text
    beyond = await _decide(
        case_id,
        {**asked, "insolvency_order_date": day(120).isoformat(), "owed_at_order_date_pence": OWED + 1},
    )
    assert beyond.status_code == 422 and "more than the £920.00 owed now" in beyond.text
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    assert await _tray_item(case_id, day(131)) is not None


async def test_the_officers_insolvency_write_off_carries_the_order_into_the_request(recovery, heard):
    _, case_id = await _returned(heard, "bankrupt", "")
    await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
    answer = await _decide(
        case_id,
        {
            "decision": "write_off",
            "write_off_reason": "insolvency",
            "evidence": ["bankruptcy order, Derby County Court"],
            "insolvency_order_date": day(120).isoformat(),
            "owed_at_order_date_pence": 880_00,
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["amount_pence"] == 880_00
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert request["reason_code"] == "insolvency"
    assert request["insolvency_order_date"] == day(120).isoformat()
    assert request["owed_at_order_date_pence"] == 880_00
    assert request["amount_pence"] == 880_00  # only the debt up to the order (Derby App.1 §7)
    assert request["requested_by"].endswith("(revenues.officer)")


async def test_other_returns_ending_recovery_still_ask_for_their_write_off_at_once(recovery, heard):
    _, case_id = await _returned(heard, "deceased", "no estate")
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert request["reason_code"] == "deceased_no_estate"
    assert request["insolvency_order_date"] is None
    assert (await case_row(case_id))["awaiting_decision_since"] is None


async def test_a_refused_write_off_asked_on_an_agents_return_waits_in_the_tray_with_the_refusal(
    recovery, heard
):
    debt, case_id = await _returned(heard, "Gone Away", "no forwarding address")
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    await publish(
        WriteOffRejected(
            request_id=request["request_id"],
            debt_id=debt.debt_id,
            reason="no tracing evidence",
            rejected_on=day(140),
        ),
        producer="writeoff",
    )
    row = await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
    assert row["awaiting_decision_since"] == day(140) and row["status"] == "open"
    item = await _tray_item(case_id, day(141))
    assert item is not None and item["why"] == "write-off refused: no tracing evidence"
    assert await _tray_item(case_id, day(139)) is None

    answer = await _decide(
        case_id, {"decision": "cancel", "notes": "debtor traced abroad: council to pursue"}
    )
    assert answer.status_code == 201, answer.text
    assert await _tray_item(case_id, day(141)) is None


async def test_an_officers_own_insolvency_write_off_request_states_the_order_too(recovery, heard):
    _, case_id, _ = await referred_council_tax(heard)
    asked = {"reason": "insolvency", "evidence": ["individual voluntary arrangement approved"]}
    async with officer_desk() as desk:
        missing = await desk.post(f"/cases/{case_id}/write-off-request", json=asked)
        assert missing.status_code == 422 and "insolvency_order_date" in missing.text
        beyond = await desk.post(
            f"/cases/{case_id}/write-off-request",
            json={
                **asked,
                "insolvency_order_date": day(90).isoformat(),
                "owed_at_order_date_pence": OWED + 1,
            },
        )
        assert beyond.status_code == 422 and "more than the £920.00 owed now" in beyond.text
        answer = await desk.post(
            f"/cases/{case_id}/write-off-request",
            json={**asked, "insolvency_order_date": day(90).isoformat(), "owed_at_order_date_pence": 900_00},
        )
    assert answer.status_code == 201, answer.text
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert request["amount_pence"] == 900_00
    assert request["insolvency_order_date"] == day(90).isoformat()
    assert request["owed_at_order_date_pence"] == 900_00
