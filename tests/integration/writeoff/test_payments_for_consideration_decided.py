"""An officer decides a payment put for consideration (issue 19), across the real broker: a payment on a debt
written off as statute barred or in insolvency waits for the council's referral officer, who accepts it against
the written-off debt, reinstates the debt (the write-off was wrong) or refunds it, always with the reason; the
decision is recorded with who made it and `writeoff.payment_for_consideration.decided` goes to billing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tests.council_bus import fetch_value
from tests.integration.writeoff.desk import Officer, a_payment_for_consideration, outbox_rows

HEAD = "Head of Business Support and Debt Management (derby.head)"


async def decide(officer: Officer, payment_id: UUID, outcome: str, reason: str) -> Any:
    return await officer.post(
        f"/api/payments-for-consideration/{payment_id}/decision", {"outcome": outcome, "reason": reason}
    )


async def test_the_referral_officer_accepts_a_payment_on_a_statute_barred_debt_and_the_write_off_stands(
    writeoff_service, client, bus
):
    payment = await a_payment_for_consideration(client, bus, "statute_barred")
    head = await Officer.sign_in(client, "derby.head")

    decided = await decide(
        head, payment.payment_id, "accepted", "voluntary payment by the debtor after the bar"
    )
    assert decided.status_code == 200, decided.text
    (event,) = await bus.hears("writeoff.payment_for_consideration.decided", payment_id=payment.payment_id)
    assert (event.outcome, event.payment_pence, event.decided_by) == ("accepted", 300_00, HEAD)
    assert event.reason == "voluntary payment by the debtor after the bar"
    recorded = await fetch_value(
        "SELECT outcome || ' ' || decided_by || ' ' || decision_reason FROM writeoff.payment_for_consideration "
        "WHERE payment_id = $1",
        payment.payment_id,
    )
    assert recorded == "accepted derby.head voluntary payment by the debtor after the bar"
    assert await outbox_rows("writeoff.write_off.reinstated", "debt_id", payment.debt_id) == 0
    tray = await head.get("/api/payments-for-consideration")
    assert str(payment.payment_id) not in {item["payment_id"] for item in tray.json()}


async def test_a_debt_whose_bankruptcy_was_annulled_is_reinstated_and_the_remainder_referred(
    writeoff_service, client, bus
):
    payment = await a_payment_for_consideration(client, bus, "formal_insolvency")
    decided = await decide(
        await Officer.sign_in(client, "derby.head"),
        payment.payment_id,
        "reinstated",
        "bankruptcy order annulled",
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["unpaid_remainder_pence"] == 500_00
    (reinstated,) = await bus.hears("writeoff.write_off.reinstated", payment_id=payment.payment_id)
    assert (reinstated.reinstated_pence, reinstated.unpaid_remainder_pence) == (800_00, 500_00)
    assert reinstated.refer_for_enforcement is True
    (event,) = await bus.hears("writeoff.payment_for_consideration.decided", payment_id=payment.payment_id)
    assert event.outcome == "reinstated"
    assert (
        await fetch_value(
            "SELECT reinstated_pence FROM writeoff.write_off WHERE debt_id = $1", payment.debt_id
        )
        == 800_00
    )


async def test_a_payment_made_in_error_is_refunded(writeoff_service, client, bus):
    payment = await a_payment_for_consideration(client, bus, "remitted_by_court")
    decided = await decide(
        await Officer.sign_in(client, "derby.officer"),
        payment.payment_id,
        "refunded",
        "paid by a neighbour in error",
    )
    assert decided.status_code == 200, decided.text
    (event,) = await bus.hears("writeoff.payment_for_consideration.decided", payment_id=payment.payment_id)
    assert (event.outcome, event.decided_by) == ("refunded", "Debt Management Officer (derby.officer)")
    assert await outbox_rows("writeoff.write_off.reinstated", "debt_id", payment.debt_id) == 0


async def test_only_the_right_officer_decides_once_and_with_a_reason(writeoff_service, client, bus):
    payment = await a_payment_for_consideration(client, bus, "statute_barred")

    director = await decide(
        await Officer.sign_in(client, "derby.director"), payment.payment_id, "refunded", "x"
    )
    assert director.status_code == 403
    assert "head_of_business_support_and_debt_management or write_off_officer" in director.json()["reason"]
    auditor = await decide(await Officer.sign_in(client, "auditor"), payment.payment_id, "refunded", "x")
    assert auditor.status_code == 403
    other_council = await decide(
        await Officer.sign_in(client, "nelc.officer"), payment.payment_id, "refunded", "x"
    )
    assert other_council.status_code == 403
    head = await Officer.sign_in(client, "derby.head")
    no_reason = await decide(head, payment.payment_id, "accepted", "  ")
    assert no_reason.status_code == 422
    assert (
        await outbox_rows("writeoff.payment_for_consideration.decided", "payment_id", payment.payment_id) == 0
    )

    assert (await decide(head, payment.payment_id, "accepted", "kept: voluntary")).status_code == 200
    again = await decide(head, payment.payment_id, "refunded", "changed my mind")
    assert again.status_code == 409
    assert (
        await outbox_rows("writeoff.payment_for_consideration.decided", "payment_id", payment.payment_id) == 1
    )
