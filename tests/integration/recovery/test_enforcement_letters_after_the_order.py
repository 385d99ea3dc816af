"""A senior officer chooses a direct earnings attachment for a housing benefit overpayment over HTTP, naming the
employer: the notice to the employer and the debtor's notice are kept with the case, listed, and their PDFs
fetched (the employer's posted to the employer), the choice on the event with its letters; what the law does not
allow, or a request without what its letters need, is refused. On a council tax liability order the council's
attachment of earnings order goes to the employer, with the debtor's copy (issue 20)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

from shared.contracts.billing import CustomerRegistered
from shared.contracts.council_systems import LiableParty, PostalAddress
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    a_debt,
    court_grants,
    heard_eventually,
    officer_desk,
    raise_debt,
    run_daily,
    steps_of,
)
from tests.unit.recovery.letter_pages import read_letter

EMPLOYER = {
    "name": "Acme Widgets Ltd",
    "address_lines": ["Unit 4", "Pride Park", "Derby"],
    "postcode": "de24 8hx",
    "payroll_number": "P-4471",
}


async def a_person() -> UUID:
    """A person billing registered, with a postal address; returns the id."""
    customer_id = uuid4()
    identity = LiableParty(
        kind="person",
        title="Ms",
        first_names="Jane",
        surname=f"Earner{customer_id.hex[:6]}",
        address=PostalAddress(lines=["Flat 2", "14 Friar Gate", "Derby"], postcode="DE1 1BU"),
    )
    await publish(CustomerRegistered(customer_id=customer_id, identity=identity), producer="billing")
    await eventually(
        lambda: fetch_value("SELECT name FROM recovery.customer WHERE customer_id = $1", customer_id),
        lambda name: name is not None,
    )
    return customer_id


async def test_a_direct_earnings_attachment_sends_its_notices_to_the_employer_and_the_debtor(recovery, heard):
    customer = await a_person()
    case_id = await raise_debt(
        a_debt("housing_benefit_overpayment", due=date(2026, 5, 1), amount=1_800_00, customer_ids=[customer])
    )
    dea = {"enforcement": "direct_earnings_attachment"}
    async with officer_desk("senior.officer") as desk:
        no_employer = await desk.post(f"/cases/{case_id}/enforcement", json=dea)
        bad_postcode = await desk.post(
            f"/cases/{case_id}/enforcement", json={**dea, "employer": {**EMPLOYER, "postcode": "nowhere"}}
        )
        misplaced = await desk.post(
            f"/cases/{case_id}/enforcement", json={"enforcement": "charging_order", "employer": EMPLOYER}
        )
        chosen = await desk.post(f"/cases/{case_id}/enforcement", json={**dea, "employer": EMPLOYER})
        listed = (await desk.get(f"/cases/{case_id}/letters")).json()
        pdfs = {item["letter"]: await desk.get(item["pdf"]) for item in listed}

    assert no_employer.status_code == 422
    assert "needs the debtor's employer's name and address" in no_employer.json()["detail"]
    assert bad_postcode.status_code == 422 and misplaced.status_code == 422
    assert chosen.status_code == 201, chosen.text
    letters = chosen.json()["letters"]
    assert [(item["letter"], item["addressee"]) for item in letters] == [
        ("direct_earnings_attachment_employer", "employer"),
        ("direct_earnings_attachment", "debtor"),
    ]
    assert sorted((item["letter"], item["recipient_kind"]) for item in listed) == [
        ("direct_earnings_attachment", "individual"),
        ("direct_earnings_attachment_employer", "business"),
    ]
    employer = read_letter(pdfs["direct_earnings_attachment_employer"].content)
    assert employer.says("DIRECT EARNINGS ATTACHMENT NOTICE") and employer.says("Acme Widgets Ltd")
    assert employer.says("DE24 8HX") and employer.says("payroll number P-4471")
    assert not employer.says("14 Friar Gate")
    debtor = read_letter(pdfs["direct_earnings_attachment"].content)
    assert debtor.says("14 Friar Gate") and debtor.says("your employer, Acme Widgets Ltd")
    assert debtor.says("without going to court") and not debtor.says("Pride Park")

    (event,) = await heard_eventually(heard, "recovery.enforcement.chosen", case_id=case_id)
    assert (
        event["enforcement"] == "direct_earnings_attachment" and event["employer_name"] == "Acme Widgets Ltd"
    )
    assert event["notice_ids"] == [item["notice_id"] for item in letters] and event["higher_rates"] is False
    (notice,) = await heard_eventually(heard, "recovery.notice.issued", case_id=case_id)
    assert notice["notice_id"] == letters[1]["notice_id"]  # the debtor's notice, not the employer's


async def test_a_direct_earnings_attachment_is_refused_for_any_debt_but_a_housing_benefit_overpayment(
    recovery,
):
    case_id = await raise_debt(a_debt("sundry", due=date(2026, 5, 1), amount=900_00))
    async with officer_desk("senior.officer") as desk:
        refused = await desk.post(
            f"/cases/{case_id}/enforcement",
            json={
                "enforcement": "direct_earnings_attachment",
                "employer": EMPLOYER,
                "county_court_judgment_reference": "K00DE999",
            },
        )
        on_judgment = await desk.post(
            f"/cases/{case_id}/enforcement",
            json={"enforcement": "attachment_of_earnings", "county_court_judgment_reference": "K00DE999"},
        )
    assert refused.status_code == 422
    assert "housing benefit overpayments only" in refused.json()["detail"]
    # On a judgment the county court makes the order: the debtor is told of the application, no employer needed.
    assert on_judgment.status_code == 201, on_judgment.text
    assert [item["letter"] for item in on_judgment.json()["letters"]] == ["attachment_of_earnings_order"]


async def test_a_council_tax_attachment_of_earnings_order_goes_to_the_employer_named_with_a_copy_to_the_debtor(
    recovery,
):
    customer = await a_person()
    due = date(2026, 5, 1)
    case_id = await raise_debt(a_debt("council_tax", due=due, amount=600_00, customer_ids=[customer]))
    for n in (30, 44):  # reminder, summons
        await run_daily(due + timedelta(days=n))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder", "summons"]
    await court_grants(case_id, due + timedelta(days=65))
    aeo = {"enforcement": "attachment_of_earnings"}
    async with officer_desk("senior.officer") as desk:
        no_employer = await desk.post(f"/cases/{case_id}/enforcement", json=aeo)
        chosen = await desk.post(f"/cases/{case_id}/enforcement", json={**aeo, "employer": EMPLOYER})
        pdfs = {item["addressee"]: await desk.get(item["pdf"]) for item in chosen.json()["letters"]}

    assert no_employer.status_code == 422 and "served on the employer" in no_employer.json()["detail"]
    assert chosen.status_code == 201, chosen.text
    assert chosen.json()["order_reference"] == f"DMC-{case_id.hex[:8]}"
    employer = read_letter(pdfs["employer"].content)
    assert employer.says("ATTACHMENT OF EARNINGS ORDER") and employer.says("Pride Park")
    assert employer.says("regulation 37 of the Council Tax (Administration and Enforcement) Regulations 1992")
    assert employer.says("SCHEDULE 4") and not employer.says("14 Friar Gate")
    debtor = read_letter(pdfs["debtor"].content)
    assert debtor.says("This letter is your copy of it") and debtor.says("14 Friar Gate")
    assert debtor.says("Valuation Tribunal for England")
