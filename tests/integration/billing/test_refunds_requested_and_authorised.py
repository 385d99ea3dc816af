"""A taxpayer asks for council tax overpayments to be repaid rather than credited (reg 31); the refund waits
for a senior officer, who authorises it; nobody else may."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.contracts.council_systems import CreditNoteRequested, InstalmentPlanRequest, RefundRequested
from tests.council_bus import publish
from tests.identity import officer_headers
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_refund_request,
    a_sundry_invoice,
    unique,
)
from tests.integration.billing.desk import officer_desk
from tests.integration.billing.test_customers_and_matching import raise_and_hear


async def answered(heard, request: RefundRequested) -> dict:
    await publish(request)
    [answer] = await heard.wait_for(
        "billing.refund_request.answered", lambda d: d["request_reference"] == request.request_reference
    )
    return answer.data


async def test_after_the_request_a_credit_is_repaid_not_carried_to_next_year_and_a_senior_officer_authorises_it(
    billing, heard
):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    this_year = await raise_and_hear(heard, a_council_tax_bill(person, external_reference=f"{account}-2026"))
    next_year = await raise_and_hear(
        heard,
        a_council_tax_bill(
            person,
            external_reference=f"{account}-2027",
            financial_year="2027/28",
            raised_on=date(2027, 3, 10),
            instalment_plan=InstalmentPlanRequest(instalments=10, first_due_date=date(2027, 4, 1)),
        ),
    )
    paid = a_payment(1_234_56, directed_to=[UUID(this_year["debt_id"])])
    await publish(paid)
    await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == paid.channel_reference
    )

    request = a_refund_request(account)
    answer = await answered(heard, request)
    assert (answer["outcome"], answer["amount_pence"]) == ("nothing_to_refund", 0)  # the request stands

    note = CreditNoteRequested(
        requesting_system="revenues",
        external_reference=f"{account}-2026",
        credit_note_reference=unique("CN"),
        amount_pence=100_00,
        reason="single person discount backdated",
        correction="liability_changed",
    )
    await publish(note)
    [due] = await heard.wait_for(
        "billing.refund.due", lambda d: d["customer_id"] == this_year["customer_ids"][0]
    )
    assert due.data["amount_pence"] == 100_00
    assert not heard.of_type(
        "billing.balance.changed", lambda d: d["debt_id"] == next_year["debt_id"] and d["cause"] == "offset"
    )  # next year's bill was not paid down with it

    refund_id = due.data["refund_id"]
    authorise = f"/refunds/{refund_id}/authorise"
    async with officer_desk(billing, officer_headers("auditor")) as auditor:
        listed = (await auditor.get("/refunds")).json()["refunds"]
        assert (await auditor.post(authorise)).status_code == 403
    [waiting] = [r for r in listed if r["refund_id"] == refund_id]
    assert waiting["amount_pence"] == 100_00 and waiting["customer_name"] == f"Margaret {person.surname}"
    async with officer_desk(billing, officer_headers("revenues.officer")) as revenues:
        assert (await revenues.post(authorise)).status_code == 403  # council money out: senior officers only
    async with officer_desk(billing, officer_headers("senior.officer")) as senior:
        done = await senior.post(authorise)
        again = await senior.post(authorise)
    assert done.status_code == 200, done.text
    assert again.status_code == 409
    [authorised] = await heard.wait_for("billing.refund.authorised", lambda d: d["refund_id"] == refund_id)
    assert authorised.data["authorised_by"].endswith("(senior.officer)")
    assert authorised.data["amount_pence"] == 100_00


async def test_a_request_for_an_account_that_is_not_council_tax_or_made_twice_is_refused(billing, heard):
    tenancy = unique("T")
    await raise_and_hear(
        heard, a_sundry_invoice(a_person(references={"tenancy": tenancy}), debt_type="council_housing_rent")
    )
    rent = await answered(heard, a_refund_request(tenancy))
    assert rent["outcome"] == "refused" and "not a council tax" in rent["reasons"][0]
    nobody = await answered(heard, a_refund_request(unique("CT")))
    assert nobody["outcome"] == "refused"
    first = a_refund_request(unique("CT"))
    await answered(heard, first)
    repeat = first.model_copy(update={"requested_on": date(2026, 6, 2)})
    await publish(repeat)
    answers = await heard.wait_for(
        "billing.refund_request.answered",
        lambda d: d["request_reference"] == first.request_reference,
        count=2,
    )
    assert any("already made" in reason for a in answers for reason in a.data["reasons"])
