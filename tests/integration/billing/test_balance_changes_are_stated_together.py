"""Every balance change billing posts is published on its own and stated again, with the others of the same
posting and in the order posted, in one `billing.balances.changed` (the message the services that must hear every
balance change consume, issue 21)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.integration.billing.council_systems import a_payment, a_person, a_sundry_invoice
from tests.integration.billing.test_payments import pay_and_hear, raise_and_hear


async def test_a_payment_spread_over_three_debts_is_stated_in_one_message_in_the_order_it_was_allocated(
    heard,
):
    person = a_person()
    debts = [
        await raise_and_hear(
            heard, a_sundry_invoice(person, amount_pence=amount, raised_on=date(2026, 6, day))
        )
        for amount, day in ((40_00, 1), (50_00, 2), (60_00, 3))
    ]
    customer = UUID(debts[0]["customer_ids"][0])
    allocated = await pay_and_hear(
        heard, a_payment(120_00, customer_id=customer, received_on=date(2026, 6, 10))
    )
    paid_debts = [a["debt_id"] for a in allocated["allocations"]]
    ours = {d["debt_id"] for d in debts}

    singles = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] in ours and d["cause"] == "payment", count=3
    )
    [statement] = await heard.wait_for(
        "billing.balances.changed", lambda d: any(c["debt_id"] in ours for c in d["changes"])
    )
    stated = statement.data["changes"]
    assert [c["debt_id"] for c in stated] == paid_debts == [s.data["debt_id"] for s in singles]
    assert stated == [s.data for s in singles]
    assert sum(c["change_pence"] for c in stated) == -120_00
