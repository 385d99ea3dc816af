"""Within the write-off service, across the real broker: recovery asks for a write-off, an officer schedules it,
the Head of Business Support signs, and `writeoff.write_off.approved` goes out; later a payment on the
written-off debt reinstates the unpaid remainder and refers it back for enforcement (Derby App.1 §12), unless the
debt can no longer lawfully be enforced: then it goes to an officer "for consideration" (issue 19)."""

from __future__ import annotations

from uuid import uuid4

from shared.contracts.billing import PaymentReceivedOnWrittenOffDebt
from shared.contracts.envelope import Envelope
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.writeoff.desk import (
    TODAY,
    Officer,
    a_debt,
    a_payment_for_consideration,
    debt_known,
    outbox_rows,
    recovery_asks,
    settled_status,
)


async def test_requested_scheduled_approved_then_reinstated_by_a_later_payment(writeoff_service, client, bus):
    debt = await debt_known(a_debt(amount_pence=800_00, income_code="SUN-4410"))
    request = recovery_asks(debt, reason_code="absconded_untraceable")
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"

    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)
    signed = await (await Officer.sign_in(client, "derby.head")).sign(schedule)
    assert signed.status_code == 200, signed.text

    (approved,) = await bus.hears("writeoff.write_off.approved", request_id=request.request_id)
    assert approved.debt_id == debt.debt_id
    assert approved.amount_pence == 800_00
    assert approved.income_code == "SUN-4410"
    assert approved.reason_code == "absconded_untraceable"

    payment = PaymentReceivedOnWrittenOffDebt(
        payment_id=uuid4(), debt_id=debt.debt_id, amount_pence=300_00, received_on=TODAY
    )
    await publish(payment, producer="billing")
    await publish(payment, producer="billing")  # the same payment reported again under a new event id

    (reinstated,) = await bus.hears("writeoff.write_off.reinstated", debt_id=debt.debt_id)
    assert reinstated.write_off_id == approved.write_off_id
    assert reinstated.payment_pence == 300_00
    assert reinstated.reinstated_pence == 800_00
    assert reinstated.unpaid_remainder_pence == 500_00
    assert reinstated.refer_for_enforcement is True
    assert (
        await fetch_value(
            "SELECT count(*) FROM writeoff.reinstatement WHERE payment_id = $1", payment.payment_id
        )
        == 1
    )


async def test_a_payment_on_a_debt_never_written_off_is_dead_lettered_with_the_reason(writeoff_service):
    payment = PaymentReceivedOnWrittenOffDebt(
        payment_id=uuid4(), debt_id=uuid4(), amount_pence=10_00, received_on=TODAY
    )
    envelope = Envelope.wrap(payment, producer="billing")
    await publish(envelope)
    reason = await eventually(
        lambda: fetch_value(
            "SELECT reason FROM writeoff.dead_letter WHERE event_id = $1", str(envelope.event_id)
        ),
        lambda found: found is not None,
    )
    assert f"debt {payment.debt_id} has no write-off standing to reinstate" in reason


async def test_a_payment_on_a_statute_barred_written_off_debt_goes_to_an_officer(
    writeoff_service, client, bus
):
    payment = await a_payment_for_consideration(client, bus, "statute_barred")
    (approved,) = [a for a in bus.heard("writeoff.write_off.approved") if a.debt_id == payment.debt_id]
    tray = await (await Officer.sign_in(client, "derby.head")).get("/api/payments-for-consideration")
    (item,) = [i for i in tray.json() if i["payment_id"] == str(payment.payment_id)]
    assert (item["write_off_id"], item["reason_code"], item["payment_pence"]) == (
        str(approved.write_off_id),
        "statute_barred",
        300_00,
    )
    assert await outbox_rows("writeoff.write_off.reinstated", "debt_id", payment.debt_id) == 0
    assert bus.heard("writeoff.write_off.reinstated", debt_id=payment.debt_id) == []
    assert (
        await fetch_value(
            "SELECT reinstated_pence FROM writeoff.write_off WHERE debt_id = $1", payment.debt_id
        )
        == 0
    )
