"""The moratoria of one of billing's customers: those matched to the customer (exactly or by an officer's
confirmation) and those holding a debt the customer is liable for (a notified debt of an unmatched debtor, or a
joint debt of someone else's breathing space), newest start first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.persistence.stores import rows_as


@dataclass(frozen=True)
class CustomerMoratorium:
    """A moratorium touching the customer, and whether it was matched to them."""

    moratorium_reference: str
    kind: str | None
    start_date: date | None
    end_date: date | None
    status: str
    match: str
    matched_to_customer: bool
    hold_ended: bool


_OF_CUSTOMER = text(
    """
    SELECT m.moratorium_reference, m.kind, m.start_date, m.end_date, m.status, m.match_state AS match,
           CAST(:c AS uuid) = ANY(m.customer_ids) AS matched_to_customer, m.hold_ended
      FROM moratorium m
     WHERE CAST(:c AS uuid) = ANY(m.customer_ids)
        OR EXISTS (SELECT 1 FROM held_debt h JOIN debt d ON d.debt_id = h.debt_id
                    WHERE h.moratorium_reference = m.moratorium_reference AND CAST(:c AS uuid) = ANY(d.customer_ids))
     ORDER BY m.start_date DESC NULLS LAST, m.moratorium_reference
    """
)


class CustomerMoratoriumStore:
    """Moratoria looked up by the customer (billing's customer id) they concern."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_customer(self, customer_id: UUID) -> list[CustomerMoratorium]:
        """Every moratorium matched to the customer or holding a debt they are liable for, newest start first."""
        rows = await self.session.execute(_OF_CUSTOMER, {"c": customer_id})
        return rows_as(CustomerMoratorium, rows)
