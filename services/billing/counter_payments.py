"""Payments officers take at the council's counter: `POST /customers/{customer_id}/counter-payments`.

The officer records the receipt given to the payer, how they paid (cash, or card on the counter's terminal),
the amount in pence and, when the payer says which debts it is for, those debts. Billing takes it through its
ordinary payment path (payments.post_payments: the customer's direction, else the debt hierarchy; money for a
written-off debt held; a true surplus a refund due), in one transaction with the events it publishes through the
outbox (billing.payment.allocated and the rest, as for any council payment). The receipt is recorded once, with
the officer from the token: the same receipt again is answered with what was recorded and changes nothing.
Revenues and senior officers only (access.Officer).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field

from services.billing.access import Officer
from services.billing.billing import Billing
from services.billing.domain.counter_payment import (
    CounterMethod,
    CounterPayment,
    directions,
    refusal_of,
    same_payment,
)
from services.billing.enquiries import billing_service
from services.billing.payment_book import IncomingPayment
from services.billing.payments import post_payments
from services.billing.stores import BillingStores
from services.billing.stores.counter_payments import CounterPaymentStore, RecordedCounterPayment

router = APIRouter(tags=["counter payments"])


class CounterPaymentIn(BaseModel):
    """A payment taken at the counter, as the officer records it (who recorded it comes from the token)."""

    model_config = ConfigDict(extra="forbid")

    receipt_reference: str = Field(
        min_length=1, max_length=64, pattern=r"^\S(.*\S)?$", description="The receipt given to the payer"
    )
    method: CounterMethod = Field(description="cash | card (the counter's card terminal)")
    amount_pence: int = Field(gt=0, le=100_000_000, description="How much was paid, in pence")
    directed_to: list[UUID] = Field(
        default_factory=list,
        max_length=50,
        description="The customer's debts the payer said it is for, in their order; none: billing's order",
    )


class CounterAllocationOut(BaseModel):
    """What the payment paid off one debt."""

    debt_id: UUID
    amount_pence: int


class CounterPaymentOut(BaseModel):
    """The receipt as recorded, and what billing did with the money."""

    receipt_reference: str
    method: str
    amount_pence: int
    customer_id: UUID
    directed_to: list[UUID]
    received_on: date
    recorded_by: str
    recorded_at: datetime
    payment_id: UUID | None
    status: str | None = Field(
        description="allocated | held_on_written_off_debt (the write-off service decides) | unidentified"
    )
    allocations: list[CounterAllocationOut]
    unallocated_pence: int | None = Field(description="What no debt took: a refund due")
    already_recorded: bool = Field(description="The receipt was recorded before; nothing changed now")


async def _answer(
    store: CounterPaymentStore, recorded: RecordedCounterPayment, already: bool
) -> CounterPaymentOut:
    allocated = await store.allocated(recorded.payment_id) if recorded.payment_id else []
    return CounterPaymentOut(
        **recorded.__dict__,
        allocations=[CounterAllocationOut(debt_id=d, amount_pence=a) for d, a in allocated],
        already_recorded=already,
    )


def _as_recorded(recorded: RecordedCounterPayment) -> CounterPayment:
    return CounterPayment(
        recorded.receipt_reference,
        recorded.method,
        recorded.amount_pence,
        recorded.customer_id,
        tuple(recorded.directed_to),
    )


@router.post(
    "/customers/{customer_id}/counter-payments",
    response_model=CounterPaymentOut,
    status_code=201,
    responses={
        200: {"model": CounterPaymentOut, "description": "The receipt was recorded before: nothing changed"},
        404: {"description": "Billing holds no such customer"},
        409: {"description": "The receipt was used for a different payment, or came by another channel"},
        422: {"description": "Not a payment billing can take (nil, or a debt not the customer's)"},
    },
)
async def record_counter_payment(
    customer_id: UUID,
    asked: CounterPaymentIn,
    officer: Officer,
    billing: Annotated[Billing, Depends(billing_service)],
    response: Response,
) -> CounterPaymentOut:
    """Record a payment taken at the counter and apply it as billing applies every council payment; publishes
    `billing.payment.allocated` (and balance changes, settlements, a refund due) through the outbox."""
    payment = CounterPayment(
        asked.receipt_reference, asked.method, asked.amount_pence, customer_id, directions(asked.directed_to)
    )
    today = billing.clock.today()
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        assert handling.session is not None
        store = CounterPaymentStore(handling.session)
        customer = await handling.stores.customers.record(customer_id)
        if customer is None:
            raise HTTPException(404, detail={"reason": f"billing holds no customer {customer_id}"})
        if customer.merged_into is not None:
            raise HTTPException(
                409, detail={"reason": f"customer {customer_id} was merged into {customer.merged_into}"}
            )
        debts = await handling.stores.debts.of_customer(customer_id, lock=False)
        refusal = refusal_of(payment, {d.debt_id for d in debts})
        if refusal:
            raise HTTPException(422, detail={"reason": refusal})
        claimed = await store.claim(
            payment.receipt_reference,
            payment.method,
            payment.amount_pence,
            customer_id,
            payment.directed_to,
            today,
            officer.recorded_as,
        )
        if not claimed:
            recorded = await store.recorded(payment.receipt_reference)
            assert recorded is not None
            if not same_payment(_as_recorded(recorded), payment):
                raise HTTPException(
                    409,
                    detail={
                        "reason": f"receipt {payment.receipt_reference} was recorded for a different payment "
                        f"by {recorded.recorded_by} on {recorded.received_on.isoformat()}"
                    },
                )
            response.status_code = 200
            return await _answer(store, recorded, already=True)
        applied = await post_payments(
            handling,
            [
                (
                    IncomingPayment(
                        channel=payment.method,
                        channel_reference=payment.receipt_reference,
                        amount_pence=payment.amount_pence,
                        received_on=today,
                        customer_id=customer_id,
                        directed_to=payment.directed_to,
                    ),
                    None,
                )
            ],
        )
        if not applied:
            # The same channel and reference came by another route (the cash office's file): it is applied.
            raise HTTPException(
                409,
                detail={
                    "reason": f"a {payment.method} payment with reference {payment.receipt_reference} was "
                    "already applied by another channel; nothing more was recorded"
                },
            )
        await store.link(payment.receipt_reference, payment.method)
        recorded = await store.recorded(payment.receipt_reference)
        assert recorded is not None
        return await _answer(store, recorded, already=False)
