"""Charge requests from council systems: raised with their schedule and customers, or refused with reasons
published back and kept for audit, never half-applied."""

from __future__ import annotations

from datetime import date

from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import a_council_tax_bill, a_sundry_invoice


async def test_a_council_tax_bill_is_raised_with_ten_instalments_and_its_customer_registered(heard):
    bill = a_council_tax_bill()
    await publish(bill)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == bill.external_reference
    )
    data = raised.data
    assert data["amount_pence"] == 1_234_56
    assert [i["amount_pence"] for i in data["instalments"]] == [127_56] + [123_00] * 9
    assert data["instalments"][0]["due_date"] == "2026-04-01"
    assert data["financial_year"] == "2026/27"
    [customer_id] = data["customer_ids"]
    await heard.wait_for("billing.customer.registered", lambda d: d["customer_id"] == customer_id)
    assert (
        await fetch_value("SELECT balance_pence FROM billing.debt WHERE debt_id = $1", raised.data["debt_id"])
        == 1_234_56
    )
    assert (
        await fetch_value("SELECT count(*) FROM billing.debt_line WHERE debt_id::text = $1", data["debt_id"])
        == 10
    )


async def test_a_sundry_invoice_falls_due_after_the_councils_settlement_terms(heard):
    invoice = a_sundry_invoice(raised_on=date(2026, 4, 10))
    await publish(invoice)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == invoice.external_reference
    )
    assert raised.data["due_date"] == "2026-05-10"  # 30 days (default rules)
    assert raised.data["instalments"] == []
