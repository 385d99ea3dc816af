"""Declarations of interest (`writeoff.declaration_of_interest`); they are never deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import DeclarationOfInterest, InterestKind


@dataclass(frozen=True, slots=True)
class StoredDeclaration:
    """A declaration as kept."""

    declaration_id: UUID
    person_id: str
    kind: InterestKind
    customer_id: str | None
    debt_id: str | None
    note: str
    declared_at: datetime


class DeclarationStore:
    """Everyone's declarations of interest."""

    _ADD = text(
        "INSERT INTO writeoff.declaration_of_interest (declaration_id, person_id, kind, customer_id, debt_id, "
        "note, declared_at) VALUES (:declaration_id, :person_id, :kind, :customer_id, :debt_id, :note, "
        ":declared_at)"
    )
    _OF_PERSON = text(
        "SELECT person_id, kind, customer_id, debt_id, note FROM writeoff.declaration_of_interest "
        "WHERE person_id = :person_id"
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, declaration: StoredDeclaration) -> None:
        """Keep a declaration."""
        await self.session.execute(
            self._ADD,
            {
                "declaration_id": declaration.declaration_id,
                "person_id": declaration.person_id,
                "kind": str(declaration.kind),
                "customer_id": declaration.customer_id,
                "debt_id": declaration.debt_id,
                "note": declaration.note,
                "declared_at": declaration.declared_at,
            },
        )

    async def of_person(self, person_id: str) -> list[DeclarationOfInterest]:
        """Every interest this person has declared."""
        rows = await self.session.execute(self._OF_PERSON, {"person_id": person_id})
        return [
            DeclarationOfInterest(
                person_id=row.person_id,
                kind=InterestKind(row.kind),
                customer_id=row.customer_id,
                debt_id=row.debt_id,
                note=row.note,
            )
            for row in rows
        ]
