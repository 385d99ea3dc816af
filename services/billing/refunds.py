"""Refunds over HTTP: the refunds due (surpluses once nothing else is owed, and taxpayers' requested repayments
of council tax and rates), and their authorisation by a senior officer, who is taken from the token."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from services.billing.access import Reader, SeniorOfficer
from services.billing.billing import Billing
from services.billing.customer_enquiries import customer_name
from services.billing.enquiries import billing_service
from services.billing.parties import stored_party
from services.billing.stores import BillingStores
from shared.contracts.billing import RefundAuthorised

router = APIRouter(tags=["refunds"])


class RefundWaitingOut(BaseModel):
    """A refund due, waiting for a senior officer."""

    refund_id: UUID
    customer_id: UUID | None
    customer_name: str | None
    payment_id: UUID | None
    amount_pence: int
    reason: str
    due_since: date
    request_reference: str | None = Field(description="The taxpayer's refund request, if it was asked for")
    rule: str | None = Field(
        default=None, description="The overpayment rule that decided it (Derby 11.1, CT reg 31, NNDR reg 9)"
    )


class RefundsDue(BaseModel):
    """Refunds waiting for authorisation, oldest first."""

    refunds: list[RefundWaitingOut]


class RefundAuthorisedOut(BaseModel):
    """The refund is authorised for payment."""

    refund_id: UUID
    amount_pence: int
    authorised_by: str
    authorised_on: date


@router.get("/refunds", response_model=RefundsDue)
async def refunds_due(_reader: Reader, billing: Annotated[Billing, Depends(billing_service)]) -> RefundsDue:
    """Refunds due, waiting for a senior officer to authorise them (at most 500, oldest first)."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        waiting = await handling.stores.refunds.due()
    return RefundsDue(
        refunds=[
            RefundWaitingOut(
                refund_id=r.refund_id,
                customer_id=r.customer_id,
                customer_name=customer_name(stored_party(r.identity)) if r.identity else None,
                payment_id=r.payment_id,
                amount_pence=r.amount_pence,
                reason=r.reason,
                due_since=r.created_on,
                request_reference=r.request_reference,
                rule=r.rule,
            )
            for r in waiting
        ]
    )


@router.post(
    "/refunds/{refund_id}/authorise",
    response_model=RefundAuthorisedOut,
    responses={404: {"description": "No such refund"}, 409: {"description": "Not waiting for authorisation"}},
)
async def authorise_refund(
    refund_id: UUID, officer: SeniorOfficer, billing: Annotated[Billing, Depends(billing_service)]
) -> RefundAuthorisedOut:
    """Authorise a refund due for payment (senior officers only: council money goes out);
    publishes `billing.refund.authorised`."""
    today = billing.clock.today()
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        refund = await handling.stores.refunds.for_authorisation(refund_id)
        if refund is None:
            raise HTTPException(404, f"billing holds no refund {refund_id}")
        if refund.status != "due":
            raise HTTPException(409, f"refund {refund_id} is {refund.status}, not waiting for authorisation")
        await handling.stores.refunds.authorise(refund_id, officer.recorded_as, today)
        await handling.outbox.add(
            RefundAuthorised(
                refund_id=refund_id,
                customer_id=refund.customer_id,
                amount_pence=refund.amount_pence,
                reason=refund.reason,
                request_reference=refund.request_reference,
                authorised_by=officer.recorded_as,
                authorised_on=today,
            )
        )
    return RefundAuthorisedOut(
        refund_id=refund_id,
        amount_pence=refund.amount_pence,
        authorised_by=officer.recorded_as,
        authorised_on=today,
    )
