"""A customer's moratoria over HTTP, for the officers' single view: breathing space keys the people in it on
billing's customer id (the customers a moratorium is matched to, and the customers liable for each debt it
holds), so the workbench asks by the id it already has.

Read by revenues and senior officers (who must know a debt is held before they act on it), breathing space
officers and auditors."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends

from services.breathing_space.https_endpoint import Service
from services.breathing_space.stores import BreathingSpaceStores
from services.breathing_space.stores.customer_moratoria import CustomerMoratoriumStore
from shared.auth import Principal, Role, requires

router = APIRouter()

Reader = Annotated[
    Principal,
    Depends(requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.BREATHING_SPACE_OFFICER, Role.AUDITOR)),
]


@router.get("/customers/{customer_id}/moratoria")
async def customer_moratoria(customer_id: UUID, service: Service, _: Reader) -> dict[str, Any]:
    """The customer's moratoria, newest start first: type, start, expected end (None while a mental health
    crisis treatment continues), status, whether it was matched to them (a joint debtor who did not apply is
    liable on a debt it holds but is not in the breathing space), and the debts it holds, each with the liable
    customers it does not protect."""
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        assert handling.session is not None  # an officer's request always has its own transaction
        found = await CustomerMoratoriumStore(handling.session).of_customer(customer_id)
        held = {
            m.moratorium_reference: await handling.stores.holds.held_debts(m.moratorium_reference)
            for m in found
        }
    return {
        "customer_id": str(customer_id),
        "moratoria": [
            {
                **asdict(m),
                "debts_held": [
                    {
                        "debt_id": str(d.debt_id),
                        "creditor_reference": d.creditor_reference,
                        "debt_type": d.debt_type,
                        "source": d.source,
                        "not_protected_customer_ids": [str(c) for c in d.not_protected_customer_ids],
                    }
                    for d in held[m.moratorium_reference]
                ],
            }
            for m in found
        ],
    }
