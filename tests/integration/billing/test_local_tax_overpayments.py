"""Council tax overpaid is repaid or credited to later council tax only (CT (Administration and Enforcement)
Regulations 1992 reg 31), never taken for rent; a credit note beyond what is owed becomes the customer's
credit, settled by the same rules; through the real broker and database."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.contracts.agents_gateway import PaymentCollectedByAgent
from shared.contracts.writeoff import WriteOffReinstated
from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_sundry_invoice,
    unique,
)
from tests.integration.billing.test_payments import pay_and_hear, raise_and_hear
from tests.integration.billing.test_write_offs_and_corrections import approved, credit_note


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


async def test_an_overstated_invoice_already_paid_is_corrected_and_the_excess_offset_then_refunded(heard):
    person = a_person()
    invoice = a_sundry_invoice(person, amount_pence=300_00)
    overstated = await raise_and_hear(heard, invoice)
    other = await raise_and_hear(heard, a_sundry_invoice(person, amount_pence=50_00))
    customer = UUID(overstated["customer_ids"][0])
    await pay_and_hear(
        heard, a_payment(300_00, directed_to=[UUID(overstated["debt_id"])], customer_id=customer)
    )

    note = credit_note(invoice, 120_00)
    await publish(note)

    [issued] = await heard.wait_for(
        "billing.credit_note.issued", lambda d: d["debt_id"] == overstated["debt_id"]
    )
    assert issued.data["amount_pence"] == 120_00
    [refund] = await heard.wait_for(
        "billing.refund.due", lambda d: d["customer_id"] == str(customer) and d["payment_id"] is None
    )
    # Derby 11.1 for sundry debt: the £120 credit first clears the other invoice's £50; £70 is repaid.
    assert refund.data["amount_pence"] == 70_00
    assert await balance_of(overstated["debt_id"]) == 0
    assert await balance_of(other["debt_id"]) == 0


async def test_a_credit_note_on_paid_council_tax_is_refunded_never_offset_against_rent(heard):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    bill = a_council_tax_bill(person, amount_pence=1_000_00)
    council_tax = await raise_and_hear(heard, bill)
    rent = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, debt_type="council_housing_rent", amount_pence=500_00, raised_on=date(2026, 6, 3)
        ),
    )
    await pay_and_hear(heard, a_payment(1_000_00, account_reference=account))

    await publish(credit_note(bill, 250_00, correction="liability_changed", reason="single person discount"))

    [refund] = await heard.wait_for(
        "billing.refund.due",
        lambda d: d["customer_id"] == rent["customer_ids"][0] and d["payment_id"] is None,
    )
    assert refund.data["amount_pence"] == 250_00
    assert await balance_of(council_tax["debt_id"]) == 0
    assert await balance_of(rent["debt_id"]) == 500_00


async def test_money_held_on_written_off_council_tax_beyond_it_is_refunded_not_taken_for_rent(heard):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    council_tax = await raise_and_hear(heard, a_council_tax_bill(person, amount_pence=300_00))
    rent = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, debt_type="council_housing_rent", amount_pence=200_00, raised_on=date(2026, 6, 3)
        ),
    )
    write_off = approved(council_tax["debt_id"], 300_00)
    await publish(write_off)
    await heard.wait_for("billing.debt.written_off", lambda d: d["debt_id"] == council_tax["debt_id"])
    await publish(
        PaymentCollectedByAgent(
            debt_id=UUID(council_tax["debt_id"]),
            agent="Bristow & Sutor",
            agent_payment_reference=unique("BS"),
            amount_pence=450_00,
            collected_on=date(2026, 11, 2),
        )
    )
    [held] = await heard.wait_for(
        "billing.payment.received_on_written_off_debt", lambda d: d["debt_id"] == council_tax["debt_id"]
    )

    await publish(
        WriteOffReinstated(
            write_off_id=write_off.write_off_id,
            debt_id=UUID(council_tax["debt_id"]),
            payment_pence=450_00,
            reinstated_pence=300_00,
            reinstated_on=date(2026, 11, 3),
        )
    )

    [refund] = await heard.wait_for(
        "billing.refund.due", lambda d: d["payment_id"] == held.data["payment_id"]
    )
    assert refund.data["amount_pence"] == 150_00
    assert await balance_of(council_tax["debt_id"]) == 0
    assert await balance_of(rent["debt_id"]) == 200_00
