"""Debtors: billing's registered customers, kept to name them in placements."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.council_systems import LiableParty

_REMEMBER = text(
    "INSERT INTO debtor (customer_id, identity) VALUES (:customer_id, CAST(:identity AS jsonb)) "
    "ON CONFLICT (customer_id) DO UPDATE SET identity = EXCLUDED.identity, updated_at = now()"
)


class DebtorStore:
    """The gateway's projection of billing's customers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, customer_id: UUID, identity: LiableParty) -> None:
        """Keep (or replace) the customer's identity as billing sent it."""
        await self.session.execute(
            _REMEMBER, {"customer_id": customer_id, "identity": identity.model_dump_json()}
        )
