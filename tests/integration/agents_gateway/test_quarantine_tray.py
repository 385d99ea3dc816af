"""Quarantined files are an officers' tray: counted and aged with their reports; an agents officer discards one,
or releases it once what was wrong is put right (it is checked again from the kept bytes and applied whole only if
it now passes every check). Who acted comes from the officer's sign-in."""

from __future__ import annotations

from tests.council_bus import eventually, fetch_value
from tests.identity import officer_headers
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_council_tax_referral,
    placed_with_the_agent,
    placement_status,
    published,
)
from tests.integration.agents_gateway.test_bad_files_are_quarantined import (
    acknowledgement_and_payment,
    quarantined_on_poll,
)


async def _a_file_about_a_case_not_yet_sent(http, agent):
    """The agent answers about a case the council has not sent it yet: quarantined (unknown case)."""
    referral = await a_council_tax_referral()
    name, _, protected = agent.returns_file(acknowledgement_and_payment(str(referral.referral_id)))
    agent.upload(name, protected)
    outcome = await quarantined_on_poll(http, name)
    assert any(problem.startswith("unknown_case") for problem in outcome["problems"])
    return referral, outcome


async def _in_tray(http, file_id: int) -> dict | None:
    tray = (await http.get("/quarantine/tray", params={"limit": 1000})).json()
    return next((item for item in tray["items"] if item["file_id"] == file_id), None)


async def test_a_quarantined_file_waits_in_the_tray_with_its_report_and_age(gateway, http, agent):
    _, outcome = await _a_file_about_a_case_not_yet_sent(http, agent)

    tray = (await http.get("/quarantine/tray", params={"limit": 1000})).json()
    assert tray["waiting"] >= 1 and tray["oldest_hours_waiting"] is not None
    item = await _in_tray(http, outcome["received_file_id"])
    assert item is not None and item["agent"] == AGENT and item["hours_waiting"] >= 0
    assert any(problem["code"] == "unknown_case" for problem in item["problems"])


async def test_a_file_released_after_its_case_was_placed_is_applied_whole(gateway, http, agent):
    referral, outcome = await _a_file_about_a_case_not_yet_sent(http, agent)
    file_id = outcome["received_file_id"]

    # Still wrong: released now, it fails again and nothing is applied.
    early = await http.post(f"/quarantine/{file_id}/release", json={"reason": "try again"})
    assert early.status_code == 409
    assert any(problem.startswith("unknown_case") for problem in early.json()["problems"])
    assert await placement_status(referral.referral_id) == "awaiting_file"
    assert await _in_tray(http, file_id) is not None

    # Put right: the case goes to the agent; the kept file is checked again and applied.
    await placed_with_the_agent(http, agent, referral)
    released = await http.post(f"/quarantine/{file_id}/release", json={"reason": "case now placed"})
    assert released.status_code == 200, released.text
    assert released.json()["outcome"] == "applied" and released.json()["record_count"] == 2
    await eventually(lambda: placement_status(referral.referral_id), lambda status: status == "acknowledged")
    [payment] = await published("agents_gateway.payment.collected", "debt_id", str(referral.debt_id))
    assert payment["amount_pence"] == 99_00
    assert await _in_tray(http, file_id) is None
    [listed] = [f for f in (await http.get("/quarantine")).json() if f["file_id"] == file_id]
    assert listed["decision"] == "released" and "agents.officer" in listed["resolved_by"]
    assert listed["problems"], "the report it was quarantined with is kept"
    again = await http.post(f"/quarantine/{file_id}/release", json={"reason": "again"})
    assert again.status_code == 404


async def test_a_discarded_file_is_kept_with_who_discarded_it_and_never_applied(gateway, http, agent):
    referral, outcome = await _a_file_about_a_case_not_yet_sent(http, agent)
    file_id = outcome["received_file_id"]

    discarded = await http.post(f"/quarantine/{file_id}/discard", json={"reason": "agent's test file"})
    assert discarded.status_code == 200
    assert await _in_tray(http, file_id) is None
    [listed] = [f for f in (await http.get("/quarantine")).json() if f["file_id"] == file_id]
    assert listed["decision"] == "discarded" and listed["resolution"] == "agent's test file"
    assert "agents.officer" in listed["resolved_by"]
    await placed_with_the_agent(http, agent, referral)
    assert (await http.post(f"/quarantine/{file_id}/release", json={"reason": "not now"})).status_code == 404
    assert await placement_status(referral.referral_id) == "sent"
    assert (
        await fetch_value(
            "SELECT count(*) FROM agents_gateway.agent_payment WHERE referral_id = $1", referral.referral_id
        )
        == 0
    )


async def test_an_auditor_reads_the_tray_but_cannot_release_or_discard(gateway, http, agent):
    _, outcome = await _a_file_about_a_case_not_yet_sent(http, agent)
    auditor = officer_headers("auditor")
    assert (await http.get("/quarantine/tray", headers=auditor)).status_code == 200
    for action in ("release", "discard"):
        answer = await http.post(
            f"/quarantine/{outcome['received_file_id']}/{action}",
            json={"reason": "by an auditor"},
            headers=auditor,
        )
        assert answer.status_code == 403
    assert await _in_tray(http, outcome["received_file_id"]) is not None
