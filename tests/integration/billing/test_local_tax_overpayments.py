"""Council tax overpaid is repaid or credited to later council tax only (CT (Administration and Enforcement)
Regulations 1992 reg 31), never taken for rent, through the real broker and database."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_sundry_invoice,
    unique,
)
from tests.integration.billing.test_payments import pay_and_hear, raise_and_hear


async def balance_of(debt_id: str) -> int:
    return await fetch_value("SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", debt_id)


async def test_council_tax_paid_beyond_the_bill_is_refunded_while_rent_stays_owed(heard):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    council_tax = await raise_and_hear(heard, a_council_tax_bill(person, amount_pence=1_234_56))
    rent = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, debt_type="council_housing_rent", amount_pence=500_00, raised_on=date(2026, 6, 3)
        ),
    )
    assert rent["customer_ids"] == council_tax["customer_ids"]

    allocated = await pay_and_hear(
        heard, a_payment(1_334_56, channel="bank_transfer", account_reference=account)
    )

    assert {a["debt_id"] for a in allocated["allocations"]} == {council_tax["debt_id"]}
    assert allocated["unallocated_pence"] == 100_00
    [refund] = await heard.wait_for(
        "billing.refund.due", lambda d: d["payment_id"] == allocated["payment_id"]
    )
    assert refund.data["amount_pence"] == 100_00
    assert refund.data["customer_id"] == str(UUID(rent["customer_ids"][0]))
    assert await balance_of(council_tax["debt_id"]) == 0
    assert await balance_of(rent["debt_id"]) == 500_00
