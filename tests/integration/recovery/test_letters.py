"""Every letter issued is kept with the case (its facts at issue, its PDF and sha256 once rendered), an officer
or auditor can fetch it over HTTP, and the retention rule removes a closed case's letters six years after its
last recovery action, recording what it removed (issue 16)."""

from __future__ import annotations

import hashlib
from datetime import date
from uuid import UUID, uuid4

from services.recovery.letter_retention import purge_letters
from shared.contracts.billing import CustomerRegistered, DebtSettled
from shared.contracts.council_systems import LiableParty, PostalAddress
from tests.council_bus import database, eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    a_debt,
    officer_desk,
    raise_debt,
    run_daily,
    the_recovery_service,
)
from tests.unit.recovery.letter_pages import read_letter

DUE = date(2026, 5, 1)
REMINDER_DAY = date(2026, 5, 2)  # Derby sundry: the first reminder the day after the due date


async def a_customer(kind: str = "person", *, address: bool = True) -> UUID:
    """A customer billing registered, with a postal address unless told otherwise; returns the id."""
    customer_id = uuid4()
    identity = LiableParty(
        kind=kind,
        title="Ms" if kind == "person" else None,
        first_names="Jane" if kind == "person" else None,
        surname=f"Letter{customer_id.hex[:6]}" if kind == "person" else None,
        organisation_name=f"Letter Trading {customer_id.hex[:6]} Ltd" if kind != "person" else None,
        address=PostalAddress(lines=["Flat 2", "14 Friar Gate", "Derby"], postcode="DE1 1BU"),
    )
    await publish(CustomerRegistered(customer_id=customer_id, identity=identity), producer="billing")
    await eventually(
        lambda: fetch_value("SELECT name FROM recovery.customer WHERE customer_id = $1", customer_id),
        lambda name: name is not None,
    )
    if not address:
        connection = await database()
        try:
            await connection.execute(
                "DELETE FROM recovery.postal_address WHERE customer_id = $1", customer_id
            )
        finally:
            await connection.close()
    return customer_id


async def a_reminded_case(kind: str = "person", *, address: bool = True) -> tuple[UUID, UUID]:
    """A Derby sundry debt of a registered customer, given its first reminder; returns (case id, notice id)."""
    customer = await a_customer(kind, address=address)
    case_id = await raise_debt(a_debt(customer_ids=[customer], due=DUE))
    await run_daily(REMINDER_DAY)
    notice_id = await eventually(
        lambda: fetch_value("SELECT notice_id FROM recovery.letter WHERE case_id = $1", case_id),
        lambda found: found is not None,
    )
    return case_id, notice_id


async def test_a_letter_issued_is_kept_and_an_officer_or_auditor_fetches_its_pdf_with_its_sha256(recovery):
    case_id, notice_id = await a_reminded_case()
    async with officer_desk() as desk:
        listed = (await desk.get(f"/cases/{case_id}/letters")).json()
        assert [(item["letter"], item["recipient_kind"], item["sha256"]) for item in listed] == [
            ("reminder", "individual", None)  # not rendered until asked for or printed
        ]
        response = await desk.get(listed[0]["pdf"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-sha256"] == hashlib.sha256(response.content).hexdigest()
    pdf = read_letter(response.content)
    assert pdf.says("REMINDER: PLEASE PAY £250.00") and pdf.says("14 Friar Gate") and pdf.says("StepChange")
    async with officer_desk("auditor") as desk:
        again = await desk.get(f"/cases/{case_id}/letters/{notice_id}.pdf")
        listed = (await desk.get(f"/cases/{case_id}/letters")).json()
    # The letter as first rendered is the letter kept: the same bytes every time, its sha256 on the list.
    assert again.content == response.content
    assert listed[0]["sha256"] == response.headers["x-content-sha256"] and listed[0]["pages"] == pdf.pages


async def test_only_officers_and_auditors_may_read_letters_and_only_those_of_the_case(recovery):
    case_id, notice_id = await a_reminded_case()
    async with officer_desk(None) as anonymous:
        assert (await anonymous.get(f"/cases/{case_id}/letters/{notice_id}.pdf")).status_code == 401
    async with officer_desk("no.roles") as nobody:
        assert (await nobody.get(f"/cases/{case_id}/letters")).status_code == 403
    async with officer_desk() as desk:
        assert (await desk.get(f"/cases/{uuid4()}/letters/{notice_id}.pdf")).status_code == 404


async def test_a_business_is_written_to_as_a_business(recovery):
    case_id, notice_id = await a_reminded_case("organisation")
    async with officer_desk() as desk:
        pdf = read_letter((await desk.get(f"/cases/{case_id}/letters/{notice_id}.pdf")).content)
    assert pdf.says("Business Debtline") and pdf.says("Letter Trading")
    assert not pdf.says("StepChange") and not pdf.says("breathing space") and not pdf.says("ill, disabled")


async def test_the_retention_rule_removes_a_closed_cases_letters_six_years_after_its_last_action(recovery):
    case_id, notice_id = await a_reminded_case()
    async with officer_desk() as desk:
        sha = (await desk.get(f"/cases/{case_id}/letters/{notice_id}.pdf")).headers["x-content-sha256"]
    debt_id = await fetch_value("SELECT debt_id FROM recovery.recovery_case WHERE case_id = $1", case_id)
    await publish(DebtSettled(debt_id=debt_id, settled_on=date(2026, 5, 20)), producer="billing")
    await eventually(
        lambda: fetch_value("SELECT status FROM recovery.recovery_case WHERE case_id = $1", case_id),
        lambda status: status != "open",
    )
    service = the_recovery_service()
    await purge_letters(service, date(2032, 5, 1))  # within six years of the last action: kept
    assert await fetch_value("SELECT count(*) FROM recovery.letter WHERE case_id = $1", case_id) == 1
    await purge_letters(service, date(2032, 6, 1))
    assert await fetch_value("SELECT count(*) FROM recovery.letter WHERE case_id = $1", case_id) == 0
    assert await fetch_value("SELECT count(*) FROM recovery.letter_pdf WHERE notice_id = $1", notice_id) == 0
    purged = await fetch_value(
        "SELECT sha256 || ' ' || rule FROM recovery.letter_purge WHERE notice_id = $1", notice_id
    )
    assert purged == f"{sha} kept 6 years after the last recovery action (DOMAIN.md 11)"
    async with officer_desk() as desk:
        assert (await desk.get(f"/cases/{case_id}/letters/{notice_id}.pdf")).status_code == 404


async def test_an_open_case_keeps_its_letters_however_old(recovery):
    case_id, _ = await a_reminded_case()
    await purge_letters(the_recovery_service(), date(2040, 1, 1))
    assert await fetch_value("SELECT count(*) FROM recovery.letter WHERE case_id = $1", case_id) == 1


async def test_a_letter_as_issued_is_never_changed(recovery):
    _, notice_id = await a_reminded_case()
    connection = await database()
    try:
        try:
            await connection.execute(
                "UPDATE recovery.letter SET amount_pence = 1 WHERE notice_id = $1", notice_id
            )
        except Exception as refused:
            assert "never changed" in str(refused)
        else:
            raise AssertionError("a letter was changed")
    finally:
        await connection.close()
