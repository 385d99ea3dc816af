"""The Insolvency Service pushes notifications over the authenticated HTTPS endpoint: a signed one is taken in
and every debt the person owes is held; an unsigned, stale, replayed or malformed one is refused with the reason
and kept, verbatim, for audit; the same notification twice changes nothing."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

from services.breathing_space.domain.period_rules import REGULATIONS_2020
from shared.contracts.breathing_space import BreathingSpaceHoldStarted, DebtsReportedBack
from tests.council_bus import eventually, fetch_value
from tests.integration.breathing_space.conftest import OUTBOUND
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    notification,
    raise_debt,
    register,
    signed,
)


async def debts_known(*debt_ids) -> bool:
    known = await fetch_value(
        "SELECT count(*) FROM breathing_space.debt WHERE debt_id = ANY($1::uuid[]) AND external_reference IS NOT NULL",
        list(debt_ids),
    )
    return known == len(debt_ids)


async def test_a_signed_notification_holds_every_debt_the_person_owes_and_reports_back_the_ones_not_notified(
    http,
):
    person, partner = a_person(), a_person()
    customer, partner_customer = await register(person), await register(partner)
    suffix = str(customer)[:8].upper()
    council_tax = await raise_debt([customer], "council_tax", f"CT-{suffix}", 84_217)
    sundry = await raise_debt([customer], "sundry", f"INV-{suffix}", 12_500)
    joint_overpayment = await raise_debt(
        [customer, partner_customer], "housing_benefit_overpayment", f"HB-{suffix}", 63_040
    )
    partners_own = await raise_debt([partner_customer], "council_tax", f"CTP-{suffix}", 50_000)
    await eventually(lambda: debts_known(council_tax, sundry, joint_overpayment, partners_own), bool)

    moratorium = a_moratorium_reference()
    start = date(2026, 5, 4)
    body = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(f"CT-{suffix}", "council_tax", 84_217)],
        start_date=start,
    )
    async with BusListener() as bus:
        response = await http.post("/notifications", content=body, headers=signed(body))
        assert response.status_code == 202, response.text
        assert response.json()["outcome"] == "accepted"

        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        assert started.kind == "standard"
        assert started.starts_on == start
        assert started.expected_end_on == REGULATIONS_2020.standard_last_day(start) == date(2026, 7, 3)
        assert started.customer_ids == [customer]
        assert set(started.debt_ids) == {council_tax, sundry, joint_overpayment}, (
            "the partner's own debt is not theirs"
        )
        assert started.hold_version == 1

        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
        assert set(reported.debt_ids) == {sundry, joint_overpayment}
        document = json.loads(reported.document)
        assert document["kind"] == "debts_reported_back"
        assert {d["creditor_reference"] for d in document["debts"]} == {f"INV-{suffix}", f"HB-{suffix}"}

    written = OUTBOUND / f"{reported.report_reference}.json"
    await eventually(lambda: _exists(written), bool)
    assert json.loads(written.read_text()) == document

    status = (await http.get("/status")).json()
    [shown] = [m for m in status["open_moratoria"] if m["moratorium_reference"] == moratorium]
    assert shown["end_date"] == "2026-07-03" and shown["debts_held"] == 3 and shown["match"] == "exact"
    [report] = [r for r in status["debts_reported_back"] if r["moratorium_reference"] == moratorium]
    assert sorted(report["debts"]) == sorted([f"INV-{suffix}", f"HB-{suffix}"])


async def _exists(path) -> bool:
    return path.exists()


async def stored(document_id: int) -> tuple[bytes, str, str]:
    from tests.council_bus import database

    connection = await database()
    try:
        row = await connection.fetchrow(
            "SELECT body, outcome, reason FROM breathing_space.received_document WHERE id = $1", document_id
        )
        return bytes(row["body"]), row["outcome"], row["reason"]
    finally:
        await connection.close()


async def test_a_notification_with_a_wrong_signature_is_refused_and_kept_for_audit(http):
    body = notification(
        "new_standard_breathing_space",
        a_moratorium_reference(),
        a_person(),
        [("CT-1", "council_tax", 100)],
        start_date=date(2026, 5, 4),
    )
    response = await http.post("/notifications", content=body, headers=signed(body, secret="not-the-secret"))
    assert response.status_code == 401
    assert response.json()["reason"] == "signature does not match"
    assert await stored(response.json()["received_document_id"]) == (
        body,
        "refused",
        "signature does not match",
    )


async def test_a_notification_signed_too_long_ago_is_refused(http):
    body = notification(
        "new_standard_breathing_space",
        a_moratorium_reference(),
        a_person(),
        [("CT-1", "council_tax", 100)],
        start_date=date(2026, 5, 4),
    )
    response = await http.post(
        "/notifications", content=body, headers=signed(body, timestamp=int(time.time()) - 3600)
    )
    assert response.status_code == 401
    assert "window" in response.json()["reason"]


async def test_a_notification_without_signature_headers_is_refused(http):
    body = b'{"schema_version": "1"}'
    response = await http.post("/notifications", content=body)
    assert response.status_code == 401
    assert response.json()["reason"].startswith("missing header(s)")


async def test_a_replayed_request_is_refused_even_though_its_signature_is_good(http):
    moratorium = a_moratorium_reference()
    body = notification(
        "new_standard_breathing_space",
        moratorium,
        a_person(),
        [("CT-1", "council_tax", 100)],
        start_date=date(2026, 5, 4),
    )
    headers = signed(body)
    first = await http.post("/notifications", content=body, headers=headers)
    assert first.status_code == 202
    replay = await http.post("/notifications", content=body, headers=headers)
    assert replay.status_code == 409
    assert replay.json()["reason"] == "replayed request (nonce already seen)"
    assert (await stored(replay.json()["received_document_id"]))[1] == "refused"


async def test_a_malformed_notification_is_refused_with_the_fields_at_fault_and_kept_verbatim(http):
    body = notification(
        "new_standard_breathing_space", a_moratorium_reference(), a_person(), [("CT-1", "council_tax", 100)]
    )  # no start_date
    body = body.replace(b'"amount_pence": 100', b'"amount_pence": 100.5')
    response = await http.post("/notifications", content=body, headers=signed(body))
    assert response.status_code == 422
    reason = response.json()["reason"]
    assert "start_date" in reason and "amount_pence" in reason
    assert await stored(response.json()["received_document_id"]) == (body, "refused", reason)


async def test_the_same_notification_twice_changes_nothing(http):
    person = a_person()
    customer = await register(person)
    reference = f"CT-{str(customer)[:8]}"
    debt = await raise_debt([customer], "council_tax", reference, 10_000)
    await eventually(lambda: debts_known(debt), bool)
    moratorium = a_moratorium_reference()
    body = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(reference, "council_tax", 10_000)],
        start_date=date(2026, 5, 4),
    )
    assert (await http.post("/notifications", content=body, headers=signed(body))).status_code == 202
    outbox = "SELECT count(*) FROM breathing_space.outbox WHERE convert_from(body, 'UTF8')::jsonb->'data'->>'moratorium_reference' = $1"
    before = await fetch_value(outbox, moratorium)
    assert before == 1

    again = await http.post("/notifications", content=body, headers=signed(body))
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    assert await fetch_value(outbox, moratorium) == before
    assert (
        await fetch_value(
            "SELECT hold_version FROM breathing_space.moratorium WHERE moratorium_reference = $1", moratorium
        )
        == 1
    )


def _days(n: int) -> timedelta:
    return timedelta(days=n)
