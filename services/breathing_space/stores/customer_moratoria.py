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
    WITH theirs AS (
        SELECT moratorium_reference FROM moratorium WHERE customer_ids @> ARRAY[CAST(:c AS uuid)]
        UNION
        SELECT h.moratorium_reference FROM debt d JOIN held_debt h ON h.debt_id = d.debt_id
         WHERE d.customer_ids @> ARRAY[CAST(:c AS uuid)]
    )
    SELECT m.moratorium_reference, m.kind, m.start_date, m.end_date, m.status, m.match_state AS match,
           m.customer_ids @> ARRAY[CAST(:c AS uuid)] AS matched_to_customer, m.hold_ended
      FROM moratorium m JOIN theirs USING (moratorium_reference)
     ORDER BY m.start_date DESC NULLS LAST, m.moratorium_reference
    """
)
"""Both sides by the customer-id GIN indexes (`moratorium_customers`, `debt_customers`)."""


class CustomerMoratoriumStore:
    """Moratoria looked up by the customer (billing's customer id) they concern."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_customer(self, customer_id: UUID) -> list[CustomerMoratorium]:
        """Every moratorium matched to the customer or holding a debt they are liable for, newest start first."""
        rows = await self.session.execute(_OF_CUSTOMER, {"c": customer_id})
        return rows_as(CustomerMoratorium, rows)
