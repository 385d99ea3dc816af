"""Issue 19: a council tax overpayment's refund due is kept and announced with the rule that decided it (CT
(Administration and Enforcement) Regulations 1992 reg 31), through the real broker and database."""

from __future__ import annotations

from datetime import date

from tests.council_bus import fetch_value
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_sundry_invoice,
    unique,
)
from tests.integration.billing.test_payments import pay_and_hear, raise_and_hear


async def test_a_council_tax_overpayment_refund_due_row_and_event_carry_the_reg_31_rule(heard):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    await raise_and_hear(heard, a_council_tax_bill(person, amount_pence=1_234_56))
    await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, debt_type="council_housing_rent", amount_pence=500_00, raised_on=date(2026, 6, 3)
        ),
    )

    allocated = await pay_and_hear(
        heard, a_payment(1_334_56, channel="bank_transfer", account_reference=account)
    )

    [refund] = await heard.wait_for(
        "billing.refund.due", lambda d: d["payment_id"] == allocated["payment_id"]
    )
    assert refund.data["amount_pence"] == 100_00
    assert refund.data["rule"] == "local_tax_later_liability"
    stored = await fetch_value(
        "SELECT rule FROM billing.refund WHERE refund_id::text = $1", refund.data["refund_id"]
    )
    assert stored == "local_tax_later_liability"
