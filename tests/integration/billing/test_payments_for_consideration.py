"""A payment held on a debt written off for a reason that ends lawful enforcement (issue 19; Derby App.1 §12) is
applied as the write-off officer decided, heard from the write-off service over the real broker (published as
its broker user, as `POST /api/payments-for-consideration/{id}/decision` queues it): accepted, it recovers that
much of the write-off and nothing is reinstated; refunded, it is due back to the payer; each decision once."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from shared.contracts.writeoff import PaymentForConsiderationDecided, WriteOffApproved, WriteOffReinstated
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.billing.council_systems import a_payment, a_sundry_invoice


async def a_payment_held_on_a_statute_barred_debt(
    heard, paid: int = 150_00
) -> tuple[str, WriteOffApproved, dict]:
    request = a_sundry_invoice(amount_pence=400_00)
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    debt_id = raised.data["debt_id"]
    write_off = WriteOffApproved(
        write_off_id=uuid4(),
        request_id=uuid4(),
        schedule_id=uuid4(),
        debt_id=UUID(debt_id),
        amount_pence=400_00,
        income_code="ENV100",
        reason_code="statute_barred",
        approved_by="head-of-debt",
        approved_on=date(2026, 10, 1),
    )
    await publish(write_off, producer="writeoff")
    await heard.wait_for("billing.debt.written_off", lambda d: d["debt_id"] == debt_id)
    await publish(a_payment(paid, directed_to=[UUID(debt_id)], received_on=date(2026, 11, 2)))
    [held] = await heard.wait_for(
        "billing.payment.received_on_written_off_debt", lambda d: d["debt_id"] == debt_id
    )
    return debt_id, write_off, held.data


def decided(
    debt_id: str, write_off: WriteOffApproved, held: dict, outcome: str
) -> PaymentForConsiderationDecided:
    return PaymentForConsiderationDecided(
        payment_id=UUID(held["payment_id"]),
        write_off_id=write_off.write_off_id,
        debt_id=UUID(debt_id),
        payment_pence=held["amount_pence"],
        outcome=outcome,
        reason="the debtor wishes to pay it although it is statute barred",
        decided_by="Wendy Officer (writeoff.officer)",
        decided_on=date(2026, 11, 9),
    )


async def handled(event_id) -> None:
    """Billing has committed this delivery (its inbox holds the event id)."""
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM billing.inbox WHERE event_id = $1", event_id),
        lambda n: n == 1,
    )


async def debt_row(debt_id: str, column: str):
    return await fetch_value(f"SELECT {column} FROM billing.debt WHERE debt_id::text = $1", debt_id)


async def test_an_accepted_payment_recovers_that_much_of_the_write_off_which_stands_and_nothing_is_reinstated(
    heard,
):
    debt_id, write_off, held = await a_payment_held_on_a_statute_barred_debt(heard)
    decision = decided(debt_id, write_off, held, "accepted")
    await publish(decision, producer="writeoff")
    [applied] = await heard.wait_for(
        "billing.payment_for_consideration.applied", lambda d: d["payment_id"] == held["payment_id"]
    )
    assert applied.data["outcome"] == "accepted"
    assert applied.data["recovered_pence"] == 150_00
    assert applied.data["moved_money"] is True
    assert applied.data["decided_by"] == "Wendy Officer (writeoff.officer)"
    [allocated] = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["payment_id"] == held["payment_id"]
    )
    assert [a["amount_pence"] for a in allocated.data["allocations"]] == [150_00]
    assert allocated.data["unallocated_pence"] == 0
    # The write-off stands for the rest: nil owed, closed as written off, nothing reinstated or refunded.
    assert await debt_row(debt_id, "balance_pence") == 0
    assert await debt_row(debt_id, "status") == "written_off"
    assert await debt_row(debt_id, "written_off_pence") == 250_00
    assert not heard.of_type("billing.debt.reinstated", lambda d: d["debt_id"] == debt_id)
    assert (
        await fetch_value(
            "SELECT decided_by || ' / ' || reason FROM billing.considered_payment WHERE payment_id::text = $1",
            held["payment_id"],
        )
        == "Wendy Officer (writeoff.officer) / the debtor wishes to pay it although it is statute barred"
    )

    # The same decision announced again (another event id) changes nothing.
    again = await publish(decision, producer="writeoff")
    assert again is not None
    await handled(again.event_id)
    assert (
        len(
            heard.of_type(
                "billing.payment_for_consideration.applied", lambda d: d["payment_id"] == held["payment_id"]
            )
        )
        == 1
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.posting WHERE cause_reference = $1", held["payment_id"]
        )
        == 1
    )
    assert await debt_row(debt_id, "written_off_pence") == 250_00


async def test_an_accepted_payment_beyond_the_written_off_amount_is_an_overpayment_refunded(heard):
    debt_id, write_off, held = await a_payment_held_on_a_statute_barred_debt(heard, paid=450_00)
    await publish(decided(debt_id, write_off, held, "accepted"), producer="writeoff")
    [applied] = await heard.wait_for(
        "billing.payment_for_consideration.applied", lambda d: d["payment_id"] == held["payment_id"]
    )
    assert (applied.data["recovered_pence"], applied.data["overpaid_pence"]) == (400_00, 50_00)
    # The payer owes nothing else, so the overpayment is a refund due (Derby 11).
    customer_id = await fetch_value(
        "SELECT customer_id::text FROM billing.debt_party WHERE debt_id::text = $1", debt_id
    )
    [refund] = await heard.wait_for("billing.refund.due", lambda d: d["customer_id"] == customer_id)
    assert refund.data["amount_pence"] == 50_00
    assert await debt_row(debt_id, "balance_pence") == 0
    assert await debt_row(debt_id, "written_off_pence") == 0


async def test_a_refunded_payment_is_due_back_to_the_payer_once_and_the_write_off_stands(heard):
    debt_id, write_off, held = await a_payment_held_on_a_statute_barred_debt(heard)
    decision = decided(debt_id, write_off, held, "refunded")
    await publish(decision, producer="writeoff")
    again = await publish(decision, producer="writeoff")
    assert again is not None
    await handled(again.event_id)
    [refund] = await heard.wait_for("billing.refund.due", lambda d: d["payment_id"] == held["payment_id"])
    assert refund.data["amount_pence"] == 150_00
    await heard.wait_for(
        "billing.payment_for_consideration.applied", lambda d: d["payment_id"] == held["payment_id"]
    )
    assert (
        await fetch_value("SELECT reason FROM billing.refund WHERE payment_id::text = $1", held["payment_id"])
        == "repaid to the payer on the write-off officer's decision (payment for consideration)"
    )
    assert (
        await fetch_value(
            "SELECT status FROM billing.payment WHERE payment_id::text = $1", held["payment_id"]
        )
        == "refunded"
    )
    assert await debt_row(debt_id, "written_off_pence") == 400_00
    assert await debt_row(debt_id, "balance_pence") == 0
    assert (
        await eventually(
            lambda: fetch_value(
                "SELECT count(*) FROM billing.considered_payment WHERE payment_id::text = $1",
                held["payment_id"],
            ),
            lambda n: n == 1,
        )
        == 1
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.refund WHERE payment_id::text = $1", held["payment_id"]
        )
        == 1
    )


async def test_a_reinstated_decision_leaves_the_money_to_the_reinstatement_which_applies_it(heard):
    debt_id, write_off, held = await a_payment_held_on_a_statute_barred_debt(heard)
    await publish(decided(debt_id, write_off, held, "reinstated"), producer="writeoff")
    [applied] = await heard.wait_for(
        "billing.payment_for_consideration.applied", lambda d: d["payment_id"] == held["payment_id"]
    )
    assert applied.data["awaits_reinstatement"] is True
    assert await debt_row(debt_id, "balance_pence") == 0
    await publish(
        WriteOffReinstated(
            write_off_id=write_off.write_off_id,
            debt_id=UUID(debt_id),
            payment_id=UUID(held["payment_id"]),
            payment_pence=150_00,
            reinstated_pence=400_00,
            unpaid_remainder_pence=250_00,
            refer_for_enforcement=True,
            reinstated_on=date(2026, 11, 9),
        ),
        producer="writeoff",
    )
    await heard.wait_for("billing.payment.allocated", lambda d: d["payment_id"] == held["payment_id"])
    assert await eventually(lambda: debt_row(debt_id, "balance_pence"), lambda b: b == 250_00) == 250_00


async def test_a_reinstatement_applies_the_payment_decided_reinstated_and_leaves_one_awaiting_its_decision_held(
    heard,
):
    """Issue 19: each payment held for consideration waits for the officer's own decision on it; reinstating the
    debt for one payment does not take another, still undecided, with it."""
    debt_id, write_off, held = await a_payment_held_on_a_statute_barred_debt(heard)
    await publish(a_payment(100_00, directed_to=[UUID(debt_id)], received_on=date(2026, 11, 5)))
    [waiting] = await heard.wait_for(
        "billing.payment.received_on_written_off_debt",
        lambda d: d["debt_id"] == debt_id and d["payment_id"] != held["payment_id"],
    )
    await publish(decided(debt_id, write_off, held, "reinstated"), producer="writeoff")
    await heard.wait_for(
        "billing.payment_for_consideration.applied", lambda d: d["payment_id"] == held["payment_id"]
    )
    reinstatement = await publish(
        WriteOffReinstated(
            write_off_id=write_off.write_off_id,
            debt_id=UUID(debt_id),
            payment_id=UUID(held["payment_id"]),
            payment_pence=150_00,
            reinstated_pence=400_00,
            unpaid_remainder_pence=250_00,
            refer_for_enforcement=True,
            reinstated_on=date(2026, 11, 9),
        ),
        producer="writeoff",
    )
    await handled(reinstatement.event_id)
    # Both would be published together, from the reinstatement's one transaction.
    await heard.wait_for("billing.payment.allocated", lambda d: d["payment_id"] == held["payment_id"])
    assert not heard.of_type(
        "billing.payment.allocated", lambda d: d["payment_id"] == waiting.data["payment_id"]
    )
    assert await debt_row(debt_id, "balance_pence") == 250_00
    status = "SELECT status FROM billing.payment WHERE payment_id::text = $1"
    assert await fetch_value(status, held["payment_id"]) == "allocated"
    assert await fetch_value(status, waiting.data["payment_id"]) == "held_on_written_off_debt"
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.allocation WHERE payment_id::text = $1", waiting.data["payment_id"]
        )
        == 0
    )
