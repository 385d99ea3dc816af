"""Derby App.1 §8: a write-off for any other reason is decided by the Debt Manager with an independent panel
before final approval. Cabinet (or a signature) cannot approve such a line until the panel's finding is
recorded, by a write-off officer or committee clerk, never by whoever asked for the write-off."""

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


async def test_cabinet_cannot_approve_an_other_reason_until_the_panels_finding_is_recorded(
    writeoff_service, client, bus
):
    request = recovery_asks(await debt_known(a_debt()), reason_code="other", written_report=REPORT)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    officer = await Officer.sign_in(client, "derby.officer")
    schedule = await officer.schedule(request.request_id)
    (line,) = schedule["lines"]
    assert line["requires_panel"] is True and line["panel_finding"] is None
    clerk = await Officer.sign_in(client, "derby.clerk")

    refused = await clerk.post(
        f"/api/schedules/{schedule['schedule_id']}/committee-decision", _cabinet(schedule)
    )
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

    approved = await clerk.post(
        f"/api/schedules/{schedule['schedule_id']}/committee-decision", _cabinet(schedule)
    )
    assert approved.status_code == 200, approved.text
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
