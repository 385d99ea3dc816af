"""The payments handler with in-memory stores (no broker, no database): each payment applied once, allocated
oldest instalment first on the account paid into, a true surplus refunded, and unidentified money held."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.billing.domain.debt_types import DebtType
from services.billing.payments import payments_received
from shared.contracts.billing import (
    BalanceChanged,
    DebtSettled,
    PaymentAllocated,
    PaymentReceivedOnWrittenOffDebt,
    RefundDue,
)
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Envelope
from tests.unit.billing.in_memory_stores import InMemoryBillingStores, a_debt, handling_for

MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


def paid(
    amount_pence: int, reference: str, account: str | None = "000123"
) -> tuple[PaymentReceived, Envelope]:
    message = PaymentReceived(
        channel="bank_transfer",
        channel_reference=reference,
        amount_pence=amount_pence,
        received_on=date(2026, 5, 10),
        account_reference=account,
    )
    return message, Envelope.wrap(message, producer="council_systems")


def a_council_tax_account() -> tuple[InMemoryBillingStores, object]:
    stores = InMemoryBillingStores()
    customer_id, debt_id = uuid4(), uuid4()
    stores.debts.debts.append(
        a_debt(debt_id, customer_id, [(MAY, 100_00), (JUNE, 100_00)], account_reference="000123")
    )
    stores.payments.accounts["000123"] = customer_id
    return stores, debt_id


async def test_a_payment_into_an_account_pays_its_oldest_instalment_first_and_moves_the_balance():
    stores, debt_id = a_council_tax_account()
    handling, published = handling_for(stores)

    await payments_received([paid(150_00, "BT-1")], handling)

    [allocated] = published.of_type(PaymentAllocated)
    assert [(a.debt_id, a.instalment_number, a.amount_pence) for a in allocated.allocations] == [
        (debt_id, 1, 100_00),
        (debt_id, 2, 50_00),
    ]
    [balance] = published.of_type(BalanceChanged)
    assert (balance.balance_pence, balance.change_pence) == (50_00, -150_00)
    [batch] = stores.payments.batches
    assert [p.status for p in batch.payments] == ["allocated"]
    assert [(t.debt_id, t.amount_pence) for t in batch.debts_paid] == [(debt_id, 150_00)]


async def test_every_event_names_the_payment_message_that_caused_it():
    stores, _ = a_council_tax_account()
    handling, published = handling_for(stores)
    delivery = paid(20_00, "BT-1")

    await payments_received([delivery], handling)

    assert published.envelopes
    assert {e.causation_id for e in published.envelopes} == {delivery[1].event_id}


async def test_a_payment_already_applied_changes_nothing_and_publishes_nothing():
    stores, _ = a_council_tax_account()
    stores.payments.applied.add(("bank_transfer", "BT-1"))
    handling, published = handling_for(stores)

    await payments_received([paid(150_00, "BT-1")], handling)

    assert published.envelopes == []
    assert stores.payments.batches == []


async def test_the_same_payment_twice_in_one_batch_is_applied_once():
    stores, _ = a_council_tax_account()
    handling, published = handling_for(stores)

    await payments_received([paid(30_00, "BT-1"), paid(30_00, "BT-1")], handling)

    assert len(published.of_type(PaymentAllocated)) == 1
    assert len(stores.payments.batches[0].payments) == 1


async def test_two_payments_of_one_customer_in_a_batch_see_each_other():
    stores, debt_id = a_council_tax_account()
    handling, published = handling_for(stores)

    await payments_received([paid(100_00, "BT-1"), paid(100_00, "BT-2")], handling)

    numbers = [a.instalment_number for e in published.of_type(PaymentAllocated) for a in e.allocations]
    assert numbers == [1, 2]
    [_, settled] = published.of_type(BalanceChanged)
    assert settled.balance_pence == 0
    assert [e.debt_id for e in published.of_type(DebtSettled)] == [debt_id]


async def test_only_what_is_left_once_everything_owed_is_paid_is_refunded():
    stores, _ = a_council_tax_account()
    handling, published = handling_for(stores)

    await payments_received([paid(250_00, "BT-1")], handling)

    [refund] = published.of_type(RefundDue)
    assert refund.amount_pence == 50_00
    assert published.of_type(PaymentAllocated)[0].unallocated_pence == 50_00
    assert [r.amount_pence for r in stores.payments.batches[0].refunds] == [50_00]


async def test_money_nobody_can_be_found_for_is_held_unallocated():
    stores, _ = a_council_tax_account()
    handling, published = handling_for(stores)

    await payments_received([paid(12_00, "BT-9", account="NOBODY")], handling)

    [allocated] = published.of_type(PaymentAllocated)
    assert (allocated.customer_id, allocated.unallocated_pence, allocated.allocations) == (None, 12_00, [])
    assert [p.status for p in stores.payments.batches[0].payments] == ["unidentified"]


async def test_a_payment_quoting_only_the_invoice_number_of_a_written_off_debt_is_held_for_reinstatement():
    stores = InMemoryBillingStores()
    customer_id, debt_id = uuid4(), uuid4()
    written_off = a_debt(debt_id, customer_id, [(MAY, 0)], debt_type=DebtType.SUNDRY, status="written_off")
    stores.debts.debts.append(written_off)
    stores.payments.accounts[written_off.external_reference] = customer_id
    handling, published = handling_for(stores)

    await payments_received([paid(80_00, "BT-7", account=written_off.external_reference)], handling)

    [held] = published.of_type(PaymentReceivedOnWrittenOffDebt)
    assert (held.debt_id, held.amount_pence) == (debt_id, 80_00)
    assert published.of_type(RefundDue) == []
    assert [p.status for p in stores.payments.batches[0].payments] == ["held_on_written_off_debt"]
