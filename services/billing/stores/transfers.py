"""The transfers store: an officer's correction of who is liable for a debt, kept with who made it and why."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_KNOWN = text(
    "SELECT customer_id FROM customer WHERE customer_id = ANY(CAST(:ids AS uuid[])) AND merged_into IS NULL"
)
_PARTIES = text("SELECT customer_id FROM debt_party WHERE debt_id = :debt_id ORDER BY customer_id")
_DROP = text("DELETE FROM debt_party WHERE debt_id = :debt_id")
_ADD = text("INSERT INTO debt_party (debt_id, customer_id) SELECT :debt_id, unnest(CAST(:ids AS uuid[]))")
_RECORD = text(
    "INSERT INTO debt_transfer (transfer_id, debt_id, from_customer_ids, to_customer_ids, reason, transferred_by, "
    "transferred_on) VALUES (:transfer_id, :debt_id, CAST(:from_ids AS uuid[]), CAST(:to_ids AS uuid[]), :reason, "
    ":by, :on)"
)


class TransferStore:
    """Debt transfers, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current_customers(self, customer_ids: list[UUID]) -> set[UUID]:
        """Which of these customers exist and were not merged into another."""
        return {row.customer_id for row in await self.session.execute(_KNOWN, {"ids": customer_ids})}

    async def transfer(
        self, transfer_id: UUID, debt_id: UUID, to: list[UUID], reason: str, by: str, on: date
    ) -> list[UUID]:
        """The debt's liable customers become `to`; returns who they were."""
        before = [row.customer_id for row in await self.session.execute(_PARTIES, {"debt_id": debt_id})]
        await self.session.execute(_DROP, {"debt_id": debt_id})
        await self.session.execute(_ADD, {"debt_id": debt_id, "ids": to})
        await self.session.execute(
            _RECORD,
            {
                "transfer_id": transfer_id,
                "debt_id": debt_id,
                "from_ids": before,
                "to_ids": to,
                "reason": reason,
                "by": by,
                "on": on,
            },
        )
        return before
