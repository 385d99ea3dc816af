"""Derby App.1 §8: a write-off for any other reason is decided by the Debt Manager "along with an independent
panel", who "then submit for final approval to either the Head of Business Support and Debt Management or the
Director of Finance as Section 151 Officer". No signature approves such a line until the panel's finding is
recorded, by a write-off officer or committee clerk, never by whoever asked for the write-off; the final approval
is the Head's up to £10,000 and the Director's above it, at any amount, never Cabinet's."""

from __future__ import annotations

from tests.council_bus import publish
from tests.integration.writeoff.desk import (
    Officer,
    a_debt,
    debt_known,
    nothing_published_for,
    recovery_asks,
    settled_status,
)

REPORT = "The debtor's business was dissolved; the director's guarantee was never signed."


def _cabinet(schedule):
    return {
        "committee": "Cabinet",
        "meeting_reference": "CAB-2026-12 item 4",
        "meeting_date": "2026-11-20",
        "schedule_hash": schedule["schedule_hash"],
    }


async def test_after_the_panels_finding_the_head_of_business_support_approves_an_800_pound_other_write_off(
    writeoff_service, client, bus
):
    request = recovery_asks(await debt_known(a_debt()), reason_code="other", written_report=REPORT)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    officer = await Officer.sign_in(client, "derby.officer")
    schedule = await officer.schedule(request.request_id)
    (line,) = schedule["lines"]
    assert line["requires_panel"] is True and line["panel_finding"] is None
    assert schedule["required_band"]["name"] == "head_of_business_support"
    clerk = await Officer.sign_in(client, "derby.clerk")
    head = await Officer.sign_in(client, "derby.head")

    refused = await head.sign(schedule)
    assert refused.status_code == 409, refused.text
    assert [r["code"] for r in refused.json()["refusals"]] == ["panel_finding_required"]
    assert "independent panel's finding" in refused.json()["detail"]
    assert await nothing_published_for(schedule)

    finding = {
        "panel_date": "2026-11-19",
        "members": ["Debt Manager", "Internal Audit Manager", "Revenues Manager"],
        "reference": "PANEL-2026-031",
        "outcome": "recommends_write_off",
        "recorded_by": "someone else",
    }
    assert (
        await officer.post(f"/api/requests/{request.request_id}/panel-finding", finding)
    ).status_code == 422
    del finding["recorded_by"]  # who recorded it comes from the sign-in, never the body
    not_authorised = await (await Officer.sign_in(client, "derby.budget_holder")).post(
        f"/api/requests/{request.request_id}/panel-finding", finding
    )
    assert not_authorised.status_code == 403
    recorded = await officer.post(f"/api/requests/{request.request_id}/panel-finding", finding)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["recorded_by"] == "Debt Management Officer (derby.officer)"
    again = await clerk.post(f"/api/requests/{request.request_id}/panel-finding", finding)
    assert again.status_code == 409
    assert "never replaced" in again.json()["detail"]

    shown = (await officer.get(f"/api/schedules/{schedule['schedule_id']}")).json()
    assert shown["schedule_hash"] == schedule["schedule_hash"]
    assert shown["lines"][0]["panel_finding"]["reference"] == "PANEL-2026-031"
    assert (await officer.get(f"/api/requests/{request.request_id}")).json()["panel_finding"]["outcome"] == (
        "recommends_write_off"
    )

    not_cabinet = await clerk.post(
        f"/api/schedules/{schedule['schedule_id']}/committee-decision", _cabinet(schedule)
    )
    assert not_cabinet.status_code == 403, not_cabinet.text
    assert [r["code"] for r in not_cabinet.json()["refusals"]] == ["other_reason_approved_by_named_officers"]
    assert await nothing_published_for(schedule)

    approved = await head.sign(schedule)
    assert approved.status_code == 200, approved.text
    await bus.hears("writeoff.write_off.approved", request_id=request.request_id)


async def test_after_the_panel_a_25000_pound_other_write_off_is_the_director_of_finances_not_cabinets(
    writeoff_service, client, bus
):
    # £25,000 for an ordinary reason needs Cabinet ("£20,000 and over", App.1 §10); for another reason §8 gives
    # the final approval to the Head or the Director of Finance: above £10,000, the Director.
    debt = await debt_known(a_debt(amount_pence=25_000_00))
    request = recovery_asks(debt, reason_code="other", written_report=REPORT)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    officer = await Officer.sign_in(client, "derby.officer")
    schedule = await officer.schedule(request.request_id)
    assert schedule["required_band"]["name"] == "director_of_finance"
    assert not schedule["required_band"].get("committee")
    finding = {
        "panel_date": "2026-11-19",
        "members": ["Debt Manager", "Internal Audit Manager"],
        "outcome": "recommends_write_off",
    }
    recorded = await officer.post(f"/api/requests/{request.request_id}/panel-finding", finding)
    assert recorded.status_code == 201, recorded.text

    beyond_head = await (await Officer.sign_in(client, "derby.head")).sign(schedule)
    assert beyond_head.status_code == 403, beyond_head.text
    signed = await (await Officer.sign_in(client, "derby.director")).sign(schedule)
    assert signed.status_code == 200, signed.text
    await bus.hears("writeoff.write_off.approved", request_id=request.request_id)


async def test_a_panel_finding_without_members_or_a_reference_is_refused(writeoff_service, client):
    request = recovery_asks(await debt_known(a_debt()), reason_code="other", written_report=REPORT)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    refused = await (await Officer.sign_in(client, "derby.clerk")).post(
        f"/api/requests/{request.request_id}/panel-finding",
        {"panel_date": "2026-11-19", "members": [" "], "outcome": "recommends_write_off"},
    )
    assert refused.status_code == 422
    assert [r["code"] for r in refused.json()["refusals"]] == ["panel_not_identified"]
