"""A payment taken at the counter (`POST /customers/{id}/counter-payments`) is billing's ordinary payment: the
payer's direction or the debt hierarchy, its events through the outbox, the receipt recorded once with the
officer from the token; the same receipt again changes nothing, a different payment under it is refused. For
revenues and senior officers only."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from tests.council_bus import fetch_value, publish
from tests.identity import officer_headers, system_headers
from tests.integration.billing.council_systems import a_council_tax_bill, a_person, a_sundry_invoice, unique
from tests.integration.billing.desk import officer_desk


async def raise_and_hear(heard, request) -> dict:
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return raised.data


async def a_customer_owing_tax_and_an_invoice(heard) -> tuple[UUID, dict, dict]:
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    tax = await raise_and_hear(heard, a_council_tax_bill(person, external_reference=f"{account}-2026"))
    invoice = await raise_and_hear(
        heard, a_sundry_invoice(person, amount_pence=250_00, raised_on=date(2026, 4, 10))
    )
    assert tax["customer_ids"] == invoice["customer_ids"]
    return UUID(tax["customer_ids"][0]), tax, invoice


async def record(billing, customer_id: UUID, body: dict, who: str = "revenues.officer"):
    async with officer_desk(billing, officer_headers(who)) as client:
        return await client.post(f"/customers/{customer_id}/counter-payments", json=body)


async def test_a_counter_payment_the_payer_directs_pays_that_debt_and_names_the_officer(billing, heard):
    customer_id, tax, invoice = await a_customer_owing_tax_and_an_invoice(heard)
    receipt = unique("RCPT")
    answer = await record(
        billing,
        customer_id,
        {
            "receipt_reference": receipt,
            "method": "cash",
            "amount_pence": 100_00,
            "directed_to": [invoice["debt_id"]],
        },
    )
    assert answer.status_code == 201, answer.text
    paid = answer.json()
    assert paid["recorded_by"] == "Priya Shah (revenues.officer)"
    assert paid["status"] == "allocated" and not paid["already_recorded"]
    assert paid["allocations"] == [{"debt_id": invoice["debt_id"], "amount_pence": 100_00}]
    assert paid["unallocated_pence"] == 0
    # The same events as any council payment, through the outbox.
    [allocated] = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == receipt
    )
    assert allocated.data["channel"] == "cash" and allocated.data["customer_id"] == str(customer_id)
    assert allocated.data["payment_id"] == paid["payment_id"]
    [changed] = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == invoice["debt_id"] and d["cause"] == "payment"
    )
    assert changed.data["balance_pence"] == 150_00
    balance = await fetch_value(
        "SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", tax["debt_id"]
    )
    assert balance == tax["amount_pence"]


async def test_the_same_receipt_recorded_again_changes_nothing(billing, heard):
    customer_id, _tax, _invoice = await a_customer_owing_tax_and_an_invoice(heard)
    body = {"receipt_reference": unique("RCPT"), "method": "card", "amount_pence": 40_00}
    first = await record(billing, customer_id, body)
    assert first.status_code == 201, first.text
    again = await record(billing, customer_id, body, who="senior.officer")
    assert again.status_code == 200, again.text
    assert again.json()["already_recorded"] is True
    assert again.json()["payment_id"] == first.json()["payment_id"]
    assert again.json()["recorded_by"] == first.json()["recorded_by"]  # the officer who took it
    payments = await fetch_value(
        "SELECT count(*) FROM billing.payment WHERE channel = 'card' AND channel_reference = $1",
        body["receipt_reference"],
    )
    assert payments == 1


async def test_a_different_payment_under_a_receipt_already_used_is_refused(billing, heard):
    customer_id, _tax, _invoice = await a_customer_owing_tax_and_an_invoice(heard)
    receipt = unique("RCPT")
    assert (
        await record(
            billing, customer_id, {"receipt_reference": receipt, "method": "cash", "amount_pence": 10_00}
        )
    ).status_code == 201
    refused = await record(
        billing, customer_id, {"receipt_reference": receipt, "method": "cash", "amount_pence": 20_00}
    )
    assert refused.status_code == 409
    assert "recorded for a different payment by Priya Shah (revenues.officer)" in refused.text


async def test_a_receipt_the_cash_office_s_channel_already_applied_is_not_applied_twice(billing, heard):
    from tests.integration.billing.council_systems import a_payment

    customer_id, _tax, _invoice = await a_customer_owing_tax_and_an_invoice(heard)
    came = a_payment(15_00, channel="cash", customer_id=customer_id)
    await publish(came)
    await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == came.channel_reference
    )
    refused = await record(
        billing,
        customer_id,
        {"receipt_reference": came.channel_reference, "method": "cash", "amount_pence": 15_00},
    )
    assert refused.status_code == 409 and "already applied by another channel" in refused.text
    recorded = await fetch_value(
        "SELECT count(*) FROM billing.counter_payment WHERE receipt_reference = $1", came.channel_reference
    )
    assert recorded == 0


async def test_billing_refuses_nil_a_debt_not_the_customer_s_and_a_customer_it_does_not_hold(billing, heard):
    customer_id, _tax, _invoice = await a_customer_owing_tax_and_an_invoice(heard)
    _other, _, someone_elses = await a_customer_owing_tax_and_an_invoice(heard)
    stranger = await record(
        billing,
        customer_id,
        {
            "receipt_reference": unique("RCPT"),
            "method": "cash",
            "amount_pence": 5_00,
            "directed_to": [someone_elses["debt_id"]],
        },
    )
    assert stranger.status_code == 422 and "not a debt of customer" in stranger.text
    nil = await record(
        billing, customer_id, {"receipt_reference": unique("RCPT"), "method": "cash", "amount_pence": 0}
    )
    assert nil.status_code == 422
    cheque = await record(
        billing, customer_id, {"receipt_reference": unique("RCPT"), "method": "cheque", "amount_pence": 5_00}
    )
    assert cheque.status_code == 422
    nobody = await record(
        billing,
        UUID("0190a000-0000-7000-8000-00000000ffff"),
        {"receipt_reference": unique("RCPT"), "method": "cash", "amount_pence": 5_00},
    )
    assert nobody.status_code == 404


async def test_only_revenues_and_senior_officers_record_counter_payments(billing, heard):
    customer_id, _tax, _invoice = await a_customer_owing_tax_and_an_invoice(heard)
    body = {"receipt_reference": unique("RCPT"), "method": "cash", "amount_pence": 5_00}
    for who in ("auditor", "breathing.space.officer", "agents.officer", "operations", "no.roles"):
        assert (await record(billing, customer_id, body, who=who)).status_code == 403, who
    async with officer_desk(billing, system_headers("council-systems")) as client:
        answer = await client.post(f"/customers/{customer_id}/counter-payments", json=body)
    assert answer.status_code == 403
    async with officer_desk(billing) as client:
        assert (await client.post(f"/customers/{customer_id}/counter-payments", json=body)).status_code == 401
    recorded = await fetch_value(
        "SELECT count(*) FROM billing.counter_payment WHERE receipt_reference = $1", body["receipt_reference"]
    )
    assert recorded == 0


async def test_the_same_receipt_sent_twice_at_once_is_one_payment(billing, heard):
    customer_id, _tax, _invoice = await a_customer_owing_tax_and_an_invoice(heard)
    body = {"receipt_reference": unique("RCPT"), "method": "cash", "amount_pence": 30_00}
    first, second = await asyncio.gather(
        record(billing, customer_id, body), record(billing, customer_id, body, who="senior.officer")
    )
    assert sorted([first.status_code, second.status_code]) == [200, 201], (first.text, second.text)
    assert first.json()["payment_id"] == second.json()["payment_id"]
    payments = await fetch_value(
        "SELECT count(*) FROM billing.payment WHERE channel = 'cash' AND channel_reference = $1",
        body["receipt_reference"],
    )
    assert payments == 1
