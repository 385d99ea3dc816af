"""Write-offs posted against the income code, money after a write-off held and reinstated on the write-off
service's word, credit notes that correct but never write off, and cancellations by the originating service
only."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from shared.contracts.agents_gateway import PaymentCollectedByAgent
from shared.contracts.council_systems import ChargeCancellationRequested, CreditNoteRequested
from shared.contracts.writeoff import WriteOffApproved, WriteOffReinstated
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.billing.council_systems import a_payment, a_sundry_invoice, unique


async def raise_and_hear(heard, request):
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return raised.data


async def balance_of(debt_id: str) -> int:
    return await fetch_value("SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", debt_id)


def approved(debt_id: str, amount: int) -> WriteOffApproved:
    return WriteOffApproved(
        write_off_id=uuid4(),
        request_id=uuid4(),
        schedule_id=uuid4(),
        debt_id=UUID(debt_id),
        amount_pence=amount,
        income_code="ENV100",
        reason_code="absconded_untraceable",
        approved_by="head-of-debt",
        approved_on=date(2026, 10, 1),
    )


async def test_an_approved_write_off_is_posted_and_a_later_payment_reinstates_the_unpaid_remainder(heard):
    raised = await raise_and_hear(heard, a_sundry_invoice(amount_pence=400_00))
    write_off = approved(raised["debt_id"], 400_00)
    await publish(write_off)
    [posted] = await heard.wait_for("billing.debt.written_off", lambda d: d["debt_id"] == raised["debt_id"])
    assert posted.data["income_code"] == "ENV100"
    assert posted.data["amount_pence"] == 400_00
    await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"] and d["cause"] == "write_off"
    )
    assert await balance_of(raised["debt_id"]) == 0

    collection = PaymentCollectedByAgent(
        debt_id=UUID(raised["debt_id"]),
        agent="Bristow & Sutor",
        agent_payment_reference=unique("BS"),
        amount_pence=150_00,
        collected_on=date(2026, 11, 2),
    )
    await publish(collection)
    [held] = await heard.wait_for(
        "billing.payment.received_on_written_off_debt", lambda d: d["debt_id"] == raised["debt_id"]
    )
    assert held.data["amount_pence"] == 150_00
    assert await balance_of(raised["debt_id"]) == 0  # held, not applied, until the write-off service decides

    await publish(
        WriteOffReinstated(
            write_off_id=write_off.write_off_id,
            debt_id=UUID(raised["debt_id"]),
            payment_pence=150_00,
            reinstated_pence=400_00,
            reinstated_on=date(2026, 11, 3),
        )
    )
    [reinstated] = await heard.wait_for(
        "billing.debt.reinstated", lambda d: d["debt_id"] == raised["debt_id"]
    )
    assert reinstated.data["reinstated_pence"] == 400_00
    await heard.wait_for("billing.payment.allocated", lambda d: d["payment_id"] == held.data["payment_id"])
    assert await balance_of(raised["debt_id"]) == 250_00  # written off less the payment


async def test_a_write_off_never_takes_off_more_than_is_outstanding(heard):
    raised = await raise_and_hear(heard, a_sundry_invoice(amount_pence=100_00))
    await publish(a_payment(30_00, directed_to=[UUID(raised["debt_id"])]))
    await heard.wait_for("billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"])
    await publish(approved(raised["debt_id"], 100_00))
    [posted] = await heard.wait_for("billing.debt.written_off", lambda d: d["debt_id"] == raised["debt_id"])
    assert posted.data["amount_pence"] == 70_00


async def test_lines_of_a_signed_schedule_are_each_posted_once_and_name_the_approval_that_caused_them(heard):
    raised = await raise_and_hear(heard, a_sundry_invoice(amount_pence=300_00))
    debt_id = raised["debt_id"]
    first, second = approved(debt_id, 100_00), approved(debt_id, 50_00)
    # A schedule's lines arrive together (one batch), and a replay of the first under a new event id with them.
    envelopes = [await publish(first), await publish(second), await publish(first)]
    posted = await heard.wait_for("billing.debt.written_off", lambda d: d["debt_id"] == debt_id, count=2)
    assert sorted(p.data["amount_pence"] for p in posted) == [50_00, 100_00]
    assert {p.causation_id for p in posted} == {envelopes[0].event_id, envelopes[1].event_id}
    assert await eventually(lambda: balance_of(debt_id), lambda balance: balance == 150_00) == 150_00
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.posting WHERE cause_reference = $1", str(first.write_off_id)
        )
        == 1
    )


def credit_note(
    invoice, amount: int, reason: str = "price agreed was lower", **overrides
) -> CreditNoteRequested:
    values = dict(
        requesting_system=invoice.requesting_system,
        external_reference=invoice.external_reference,
        credit_note_reference=unique("CN"),
        amount_pence=amount,
        reason=reason,
        correction="price_correction",
    )
    values.update(overrides)
    return CreditNoteRequested(**values)


async def test_a_credit_note_corrects_the_invoice_and_a_disguised_write_off_is_refused(heard):
    invoice = a_sundry_invoice(amount_pence=300_00)
    raised = await raise_and_hear(heard, invoice)
    correction = credit_note(invoice, 50_00)
    await publish(correction)
    [issued] = await heard.wait_for("billing.credit_note.issued", lambda d: d["debt_id"] == raised["debt_id"])
    assert issued.data["amount_pence"] == 50_00
    assert await balance_of(raised["debt_id"]) == 250_00

    disguised = credit_note(invoice, 250_00, reason="customer gone away, irrecoverable")
    too_much = credit_note(invoice, 900_00)
    await publish(disguised)
    await publish(too_much)
    for refused_note in (disguised, too_much):
        [answer] = await heard.wait_for(
            "billing.credit_note.refused",
            lambda d, note=refused_note: d["credit_note_reference"] == note.credit_note_reference,
        )
        assert answer.data["reasons"]
    assert await balance_of(raised["debt_id"]) == 250_00
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.refused_request WHERE external_reference = $1 AND request_kind = 'credit_note'",
            invoice.external_reference,
        )
        == 2
    )


async def test_only_the_originating_service_may_cancel_and_only_an_unpaid_invoice(heard):
    invoice = a_sundry_invoice()
    raised = await raise_and_hear(heard, invoice)

    def cancellation(by: str) -> ChargeCancellationRequested:
        return ChargeCancellationRequested(
            requesting_system=invoice.requesting_system,
            external_reference=invoice.external_reference,
            requested_by_service=by,
            reason="raised against the wrong contract",
        )

    await publish(cancellation("Parking Services"))
    [refusal] = await heard.wait_for(
        "billing.cancellation.refused", lambda d: d["external_reference"] == invoice.external_reference
    )
    assert "only the originating service" in refusal.data["reasons"][0]
    assert await balance_of(raised["debt_id"]) == 250_00

    await publish(cancellation("Environmental Services"))
    await heard.wait_for("billing.debt.cancelled", lambda d: d["debt_id"] == raised["debt_id"])
    assert await balance_of(raised["debt_id"]) == 0
    assert (
        await fetch_value("SELECT status FROM billing.debt WHERE debt_id::text = $1", raised["debt_id"])
        == "cancelled"
    )


async def test_a_part_paid_invoice_is_not_cancelled(heard):
    invoice = a_sundry_invoice()
    raised = await raise_and_hear(heard, invoice)
    await publish(a_payment(10_00, directed_to=[UUID(raised["debt_id"])]))
    await heard.wait_for("billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"])
    await publish(
        ChargeCancellationRequested(
            requesting_system=invoice.requesting_system,
            external_reference=invoice.external_reference,
            requested_by_service=invoice.originating_service,
            reason="no longer wanted",
        )
    )
    [refusal] = await heard.wait_for(
        "billing.cancellation.refused", lambda d: d["external_reference"] == invoice.external_reference
    )
    assert any("credit note" in r for r in refusal.data["reasons"])


async def test_a_write_off_for_a_debt_billing_never_raised_is_dead_lettered_with_the_reason(billing):
    stranger = approved(str(uuid4()), 10_00)
    envelope = await publish(stranger)
    reason = await eventually(
        lambda: fetch_value(
            "SELECT reason FROM billing.dead_letter WHERE event_id = $1", str(envelope.event_id)
        ),
        lambda found: found is not None,
        timeout=60,
    )
    assert "unknown debt" in reason


async def test_a_payment_quoting_only_the_invoice_number_of_a_written_off_debt_is_held_not_refunded(heard):
    invoice = a_sundry_invoice(amount_pence=220_00)
    raised = await raise_and_hear(heard, invoice)
    await publish(approved(raised["debt_id"], 220_00))
    await heard.wait_for("billing.debt.written_off", lambda d: d["debt_id"] == raised["debt_id"])

    payment = a_payment(60_00, account_reference=invoice.external_reference)
    await publish(payment)

    [held] = await heard.wait_for(
        "billing.payment.received_on_written_off_debt", lambda d: d["debt_id"] == raised["debt_id"]
    )
    assert held.data["amount_pence"] == 60_00
    status = await fetch_value(
        "SELECT status FROM billing.payment WHERE channel_reference = $1", payment.channel_reference
    )
    assert status == "held_on_written_off_debt"
    assert not heard.of_type("billing.refund.due", lambda d: d["payment_id"] == held.data["payment_id"])
