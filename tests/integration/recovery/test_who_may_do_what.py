"""Recovery's officers' API needs a signed-in officer: a revenues or senior officer changes cases, an auditor
only reads them, nobody else does either; who acted is taken from the officer's token, never from the request."""

from __future__ import annotations

from tests.council_bus import fetch_value
from tests.integration.recovery.recovery_bus import a_debt, case_row, officer_desk, raise_debt


async def test_nobody_signed_in_is_refused_and_told_how_to_sign_in(recovery):
    case_id = await raise_debt(a_debt())
    async with officer_desk(None) as desk:
        read = await desk.get(f"/cases/{case_id}")
        write = await desk.post(
            f"/cases/{case_id}/contacts", json={"channel": "phone", "direction": "inbound", "summary": "x"}
        )
        upload = await desk.post("/court-results-files", params={"file_name": "x.csv"}, content=b"case_id\n")
    assert (read.status_code, write.status_code, upload.status_code) == (401, 401, 401)
    assert read.headers["www-authenticate"].startswith("Bearer")


async def test_an_auditor_reads_the_record_but_changes_nothing(recovery):
    case_id = await raise_debt(a_debt())
    async with officer_desk("auditor") as desk:
        read = await desk.get(f"/cases/{case_id}")
        write = await desk.post(
            f"/cases/{case_id}/holds",
            json={"kind": "manual", "reason": "pause", "review_on": "2026-07-01"},
        )
    assert read.status_code == 200
    assert write.status_code == 403
    assert (await case_row(case_id))["status"] == "open"
    holds = await fetch_value("SELECT count(*) FROM recovery.hold WHERE case_id = $1", case_id)
    assert holds == 0


async def test_someone_without_a_recovery_role_may_not_even_read(recovery):
    case_id = await raise_debt(a_debt())
    async with officer_desk("agents.officer") as desk:
        assert (await desk.get(f"/cases/{case_id}")).status_code == 403


async def test_who_acted_is_the_signed_in_officer_and_a_body_naming_someone_else_is_refused(recovery):
    case_id = await raise_debt(a_debt())
    async with officer_desk("senior.officer") as desk:
        named = await desk.post(
            f"/cases/{case_id}/holds",
            json={
                "kind": "manual",
                "reason": "pause",
                "review_on": "2026-07-01",
                "authorised_by": "Someone Else",
            },
        )
        held = await desk.post(
            f"/cases/{case_id}/holds", json={"kind": "manual", "reason": "pause", "review_on": "2026-07-01"}
        )
    assert named.status_code == 422  # the body cannot say who acted
    assert held.status_code == 201, held.text
    authorised_by = await fetch_value("SELECT authorised_by FROM recovery.hold WHERE case_id = $1", case_id)
    assert "senior.officer" in authorised_by
