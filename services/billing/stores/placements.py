"""The placements store: which debts are with an agent (billing's projection of recovery's referrals and the
agents gateway's placements). A referral is open from the day recovery referred it until the agent rejects or
returns it, or the gateway refuses it. An end naming its referral and heard before the start is kept, so those
arrive in any order; a return naming no referral ends the debt's placements open when it is heard."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_REFERRED = text(
    """
    INSERT INTO placement (referral_id, debt_id, agency_kind, agent, placed_on)
    VALUES (:referral_id, :debt_id, :agency_kind, :agent, :on)
    ON CONFLICT (referral_id) DO UPDATE SET
        agency_kind = coalesce(excluded.agency_kind, placement.agency_kind),
        agent = coalesce(excluded.agent, placement.agent),
        placed_on = least(placement.placed_on, excluded.placed_on)
    """
)
_ENDED = text(
    """
    INSERT INTO placement (referral_id, debt_id, agent, placed_on, ended_on, end_reason)
    VALUES (:referral_id, :debt_id, :agent, :on, :on, :reason)
    ON CONFLICT (referral_id) DO UPDATE SET ended_on = coalesce(placement.ended_on, excluded.ended_on),
        end_reason = coalesce(placement.end_reason, excluded.end_reason)
    """
)
_RETURNED = text(
    "UPDATE placement SET ended_on = :on, end_reason = :reason WHERE debt_id = :debt_id AND ended_on IS NULL"
)
_HOLDING = text(
    "SELECT DISTINCT ON (debt_id) debt_id, coalesce(agent, agency_kind, 'agent') AS agent FROM placement "
    "WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) AND ended_on IS NULL ORDER BY debt_id, placed_on DESC"
)


class PlacementStore:
    """Placements with agents, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def placed(
        self,
        referral_id: UUID,
        debt_id: UUID,
        on: date,
        agency_kind: str | None = None,
        agent: str | None = None,
    ) -> None:
        """The debt went (or is going) to an agent under this referral."""
        await self.session.execute(
            _REFERRED,
            {
                "referral_id": referral_id,
                "debt_id": debt_id,
                "agency_kind": agency_kind,
                "agent": agent,
                "on": on,
            },
        )

    async def ended(
        self, referral_id: UUID | None, debt_id: UUID, on: date, reason: str, agent: str | None = None
    ) -> None:
        """The referral is over (rejected, refused, returned); without a referral id, every open one of the debt."""
        if referral_id is None:
            await self.session.execute(_RETURNED, {"debt_id": debt_id, "on": on, "reason": reason})
            return
        await self.session.execute(
            _ENDED,
            {"referral_id": referral_id, "debt_id": debt_id, "agent": agent, "on": on, "reason": reason},
        )

    async def agents_holding(self, debt_ids: list[UUID]) -> dict[UUID, str]:
        """The agent each of these debts is placed with now (debts not placed are absent)."""
        if not debt_ids:
            return {}
        rows = await self.session.execute(_HOLDING, {"debt_ids": debt_ids})
        return {row.debt_id: row.agent for row in rows}
