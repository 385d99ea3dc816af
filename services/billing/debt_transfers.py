"""An officer corrects who is liable for a debt (`POST /debts/{debt_id}/transfer`): the debt moves to the named
customers, the correction is kept with who made it (from the token) and why, and `billing.debt.transferred`
tells every service that follows a person's debts (breathing space brings it into the new customer's
moratorium)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from services.billing.access import Officer
from services.billing.billing import Billing
from services.billing.enquiries import billing_service
from services.billing.stores import BillingStores
from shared.contracts.billing import DebtTransferred
from shared.ids import new_id

router = APIRouter(tags=["debts"])


class TransferAsked(BaseModel):
    """Who is liable for the debt instead, and why (the officer is the token's)."""

    to_customer_ids: list[UUID] = Field(min_length=1, max_length=20)
    reason: str = Field(min_length=3, max_length=500)


@router.post(
    "/debts/{debt_id}/transfer",
    response_model=DebtTransferred,
    responses={404: {"description": "No such debt"}, 422: {"description": "Unknown or merged customer"}},
)
async def transfer_debt(
    debt_id: UUID,
    asked: TransferAsked,
    officer: Officer,
    billing: Annotated[Billing, Depends(billing_service)],
) -> DebtTransferred:
    """Move the debt to other customers after an officer's correction; publishes `billing.debt.transferred`."""
    today = billing.clock.today()
    to = sorted(set(asked.to_customer_ids))
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        stores = handling.stores
        account = (await stores.debts.named([debt_id])).get(debt_id)
        if account is None:
            raise HTTPException(404, f"billing holds no debt {debt_id}")
        missing = set(to) - await stores.transfers.current_customers(to)
        if missing:
            raise HTTPException(
                422,
                f"no such current customer (unknown, or merged into another): {sorted(map(str, missing))}",
            )
        before = await stores.transfers.transfer(
            new_id(), debt_id, to, asked.reason, officer.recorded_as, today
        )
        event = DebtTransferred(
            debt_id=debt_id,
            debt_type=account.debt_type.value,
            from_customer_ids=before,
            to_customer_ids=to,
            balance_pence=account.balance_pence,
            reason=asked.reason,
            transferred_by=officer.recorded_as,
            transferred_on=today,
        )
        await handling.outbox.add(event)
    return event
