"""Declarations of interest: an approver names the customers or debts they have an interest in (self,
relative, partner's relative, friend or neighbour, organisation, business relationship) and takes no part in
writing them off."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import DeclarationOfInterest, InterestKind
from services.writeoff.tables import DeclarationRow
from shared.clock import clock


async def declare_interest(
    session: AsyncSession,
    person_id: str,
    kind: InterestKind,
    customer_id: str | None,
    debt_id: str | None,
    note: str,
) -> DeclarationRow:
    """Record a declaration by `person_id` (it stands from now on; declarations are never deleted)."""
    row = DeclarationRow(
        declaration_id=uuid4(),
        person_id=person_id,
        kind=str(kind),
        customer_id=customer_id or None,
        debt_id=debt_id or None,
        note=note,
        declared_at=clock.now(),
    )
    session.add(row)
    await session.flush()
    return row


async def declarations_of(session: AsyncSession, person_id: str) -> list[DeclarationOfInterest]:
    """Every interest this person has declared."""
    rows = await session.scalars(select(DeclarationRow).where(DeclarationRow.person_id == person_id))
    return [
        DeclarationOfInterest(
            person_id=row.person_id,
            kind=InterestKind(row.kind),
            customer_id=row.customer_id,
            debt_id=row.debt_id,
            note=row.note,
        )
        for row in rows.all()
    ]
