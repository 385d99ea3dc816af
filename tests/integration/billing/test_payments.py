"""Payments from council channels and agents: applied once per channel reference, allocated by the customer's
direction, an exact instalment, or the debt hierarchy (current financial year first); a true surplus is a
refund due, only when nothing else is owed."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from shared.contracts.agents_gateway import PaymentCollectedByAgent
from shared.contracts.council_systems import InstalmentPlanRequest
from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_sundry_invoice,
    unique,
)


async def raise_and_hear(heard, request):
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return raised.data


async def pay_and_hear(heard, payment):
    await publish(payment)
    [allocated] = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == payment.channel_reference
    )
    return allocated.data


def paid_per_debt(allocated) -> dict[str, int]:
    totals: dict[str, int] = {}
    for a in allocated["allocations"]:
        totals[a["debt_id"]] = totals.get(a["debt_id"], 0) + a["amount_pence"]
    return totals


async def test_the_worked_case_rent_then_this_years_council_tax_then_last_years_then_parking(heard):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account, "tenancy": unique("TEN")})
    parking = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, debt_type="penalty_charge_notice", amount_pence=70_00, raised_on=date(2026, 6, 1)
        ),
    )
    last_year = await raise_and_hear(
        heard,
        a_council_tax_bill(
            person,
            external_reference=f"{account}-2025",
            amount_pence=450_00,
            financial_year="2025/26",
            raised_on=date(2025, 3, 10),
            instalment_plan=InstalmentPlanRequest(instalments=10, first_due_date=date(2025, 4, 1)),
        ),
    )
    this_year = await raise_and_hear(heard, a_council_tax_bill(person, amount_pence=1_250_00))
    rent = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, debt_type="council_housing_rent", amount_pence=500_00, raised_on=date(2026, 6, 3)
        ),
    )
    customer = UUID(rent["customer_ids"][0])
    assert {d["customer_ids"][0] for d in (parking, last_year, this_year, rent)} == {str(customer)}

    allocated = await pay_and_hear(
        heard, a_payment(1_900_00, customer_id=customer, received_on=date(2026, 9, 16))
    )
    paid = paid_per_debt(allocated)
    # £1,900 of £2,270 owed: rent £500, this year's council tax £1,250, last year's £150 of £450, parking nothing.
    assert paid == {rent["debt_id"]: 500_00, this_year["debt_id"]: 1_250_00, last_year["debt_id"]: 150_00}
    assert allocated["unallocated_pence"] == 0
    settled = await heard.wait_for(
        "billing.debt.settled", lambda d: d["debt_id"] in (rent["debt_id"], this_year["debt_id"]), count=2
    )
    assert len(settled) == 2
    [parking_balance] = [
        await fetch_value(
            "SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", parking["debt_id"]
        )
    ]
    assert parking_balance == 70_00
    assert (
        await fetch_value(
            "SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", last_year["debt_id"]
        )
        == 300_00
    )


async def test_a_payment_into_an_account_pays_that_account_first_and_the_balance_changes(heard):
    bill = a_council_tax_bill()
    raised = await raise_and_hear(heard, bill)
    account = bill.liable_parties[0].references["council_tax_account"]
    payment = a_payment(127_56, channel="direct_debit", account_reference=account)
    sent = await publish(payment)
    [heard_allocation] = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == payment.channel_reference
    )
    allocated = heard_allocation.data
    # Traceable: the allocation names the payment message that caused it, and shares its correlation.
    assert heard_allocation.causation_id == sent.event_id
    assert heard_allocation.correlation_id == sent.correlation_id
    assert allocated["allocations"] == [
        {"debt_id": raised["debt_id"], "instalment_number": 1, "amount_pence": 127_56}
    ]
    [changed] = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"] and d["cause"] == "payment"
    )
    assert changed.data["balance_pence"] == 1_234_56 - 127_56
    assert changed.data["change_pence"] == -127_56


async def test_the_same_channel_reference_is_applied_once_and_the_second_publishes_nothing(billing, heard):
    raised = await raise_and_hear(heard, a_sundry_invoice())
    payment = a_payment(50_00, directed_to=[UUID(raised["debt_id"])])
    await pay_and_hear(heard, payment)
    resent = payment.model_copy()  # a new envelope: only the channel reference says it is the same payment
    await publish(resent)
    await asyncio.sleep(1.0)  # room for a wrongly applied second payment to show itself
    assert (
        len(
            heard.of_type(
                "billing.payment.allocated", lambda d: d["channel_reference"] == payment.channel_reference
            )
        )
        == 1
    )
    assert (
        await fetch_value(
            "SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", raised["debt_id"]
        )
        == 200_00
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.payment WHERE channel_reference = $1", payment.channel_reference
        )
        == 1
    )


async def test_an_agents_collection_is_posted_to_the_placed_debt_once(heard):
    raised = await raise_and_hear(heard, a_sundry_invoice())
    collection = PaymentCollectedByAgent(
        debt_id=UUID(raised["debt_id"]),
        agent="Marston",
        agent_payment_reference=unique("MAR"),
        amount_pence=100_00,
        collected_on=date(2026, 7, 1),
    )
    await publish(collection)
    await publish(collection)
    [allocated] = await heard.wait_for(
        "billing.payment.allocated",
        lambda d: d["channel_reference"] == f"Marston:{collection.agent_payment_reference}",
    )
    assert allocated.data["channel"] == "agent"
    assert paid_per_debt(allocated.data) == {raised["debt_id"]: 100_00}
    await asyncio.sleep(0.5)
    assert (
        await fetch_value(
            "SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", raised["debt_id"]
        )
        == 150_00
    )


async def test_an_overpayment_clears_every_debt_and_only_the_true_surplus_is_a_refund_due(heard):
    person = a_person()
    first = await raise_and_hear(heard, a_sundry_invoice(person, amount_pence=100_00))
    second = await raise_and_hear(heard, a_sundry_invoice(person, amount_pence=60_00))
    allocated = await pay_and_hear(
        heard,
        a_payment(200_00, customer_id=UUID(first["customer_ids"][0]), directed_to=[UUID(first["debt_id"])]),
    )
    assert paid_per_debt(allocated) == {first["debt_id"]: 100_00, second["debt_id"]: 60_00}
    assert allocated["unallocated_pence"] == 40_00
    [refund] = await heard.wait_for(
        "billing.refund.due", lambda d: d["payment_id"] == allocated["payment_id"]
    )
    assert refund.data["amount_pence"] == 40_00


async def test_money_nobody_can_be_found_for_is_held_unallocated(heard):
    allocated = await pay_and_hear(heard, a_payment(12_00, account_reference=unique("NOBODY")))
    assert allocated["customer_id"] is None
    assert allocated["unallocated_pence"] == 12_00
    assert (
        await fetch_value(
            "SELECT status FROM billing.payment WHERE channel_reference = $1", allocated["channel_reference"]
        )
        == "unidentified"
    )


async def test_two_replicas_paying_one_account_at_once_never_allocate_the_same_instalment_twice(
    billing, heard
):
    from services.billing.payments import IncomingPayment, post_payments
    from services.billing.stores import BillingStores
    from shared.contracts.envelope import Envelope

    bill = a_council_tax_bill()
    raised = await raise_and_hear(heard, bill)
    account = bill.liable_parties[0].references["council_tax_account"]

    def paying_in_full(reference: str):
        payment = a_payment(1_234_56, channel="bank_transfer", channel_reference=reference)
        return (
            IncomingPayment(
                "bank_transfer", reference, 1_234_56, payment.received_on, account_reference=account
            ),
            Envelope.wrap(payment, producer="test"),
        )

    first_posted, first_may_commit = asyncio.Event(), asyncio.Event()

    async def first_replica():
        async with billing.runtime.transaction(BillingStores.on, billing) as handling:
            await post_payments(handling, [paying_in_full(unique("BT"))])
            first_posted.set()
            await first_may_commit.wait()

    async def second_replica():
        async with billing.runtime.transaction(BillingStores.on, billing) as handling:
            await post_payments(handling, [paying_in_full(unique("BT"))])

    first = asyncio.create_task(first_replica())
    await first_posted.wait()
    second = asyncio.create_task(second_replica())
    await asyncio.sleep(0.5)
    assert not second.done()  # it waits for the debt the first is changing
    first_may_commit.set()
    await asyncio.gather(first, second)

    debt_id = raised["debt_id"]
    assert await fetch_value("SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", debt_id) == 0
    assert (
        await fetch_value(
            "SELECT min(outstanding_pence) FROM billing.debt_line WHERE debt_id::text = $1", debt_id
        )
        == 0
    )
    assert (
        await fetch_value(
            "SELECT sum(amount_pence) FROM billing.allocation WHERE debt_id::text = $1", debt_id
        )
        == 1_234_56
    )
    # The second payment found nothing owed: the whole of it is a true surplus, due back.
    assert (
        await fetch_value(
            "SELECT sum(r.amount_pence) FROM billing.refund r JOIN billing.debt_party p USING (customer_id) "
            "WHERE p.debt_id::text = $1",
            debt_id,
        )
        == 1_234_56
    )
