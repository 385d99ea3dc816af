"""Declarations of interest: an approver names the customers or debts they have an interest in (self,
relative, partner's relative, friend or neighbour, organisation, business relationship) and takes no part in
writing them off."""

from __future__ import annotations

from uuid import uuid4

from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import InterestKind
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.declarations import StoredDeclaration
from shared.messaging.inbox_router import Handling


async def declare_interest(
    handling: Handling[WriteOffStores, WriteOff],
    person_id: str,
    kind: InterestKind,
    customer_id: str | None,
    debt_id: str | None,
    note: str,
) -> StoredDeclaration:
    """Record a declaration by `person_id` (it stands from now on; declarations are never deleted)."""
    declaration = StoredDeclaration(
        declaration_id=uuid4(),
        person_id=person_id,
        kind=kind,
        customer_id=customer_id or None,
        debt_id=debt_id or None,
        note=note,
        declared_at=handling.service.clock.now(),
    )
    await handling.stores.declarations.add(declaration)
    return declaration
