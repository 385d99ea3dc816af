"""The breathing space holds store: each moratorium's hold per debt, known or not yet known to billing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from shared.money import Pence

_KEEP_HOLD = text(
    """
    INSERT INTO breathing_space_hold (moratorium_reference, debt_id, hold_version, starts_on, ends_on,
                                      ongoing_after, ongoing_liabilities_pence)
    SELECT :reference, debt_id, :version, :starts_on, NULL, ongoing_after, ongoing
    FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:ongoing_after AS date[]), CAST(:ongoing AS bigint[]))
        AS d(debt_id, ongoing_after, ongoing)
    ON CONFLICT (moratorium_reference, debt_id) DO UPDATE
        SET hold_version = excluded.hold_version, starts_on = excluded.starts_on,
            ongoing_after = excluded.ongoing_after, ongoing_liabilities_pence = excluded.ongoing_liabilities_pence
        WHERE breathing_space_hold.hold_version <= excluded.hold_version
    """
)
_END_HOLD = text(
    "UPDATE breathing_space_hold SET ends_on = :last_day, hold_version = :version "
    "WHERE moratorium_reference = :reference AND hold_version <= :version "
    "AND (cardinality(CAST(:debt_ids AS uuid[])) = 0 OR debt_id = ANY(CAST(:debt_ids AS uuid[]))) "
    "RETURNING debt_id"
)
_HOLDS = text(
    "SELECT debt_id, starts_on, ends_on, ongoing_after FROM breathing_space_hold "
    "WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))"
)


class HoldStore:
    """Breathing space holds, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(
        self,
        reference: str,
        version: int,
        starts_on: date,
        debt_ids: list[UUID],
        ongoing: Mapping[UUID, tuple[date, Pence]] | None = None,
    ) -> None:
        """Keep the moratorium's hold on each debt (a newer version replaces an older, never the reverse), with
        its ongoing liabilities where it has any: `ongoing[debt_id]` is the day after which its sums are ongoing
        liabilities and what they come to (a debt not in it is held whole)."""
        ongoing = ongoing or {}
        await self.session.execute(
            _KEEP_HOLD,
            {
                "reference": reference,
                "version": version,
                "starts_on": starts_on,
                "debt_ids": debt_ids,
                "ongoing_after": [ongoing[d][0] if d in ongoing else None for d in debt_ids],
                "ongoing": [ongoing[d][1] if d in ongoing else 0 for d in debt_ids],
            },
        )

    async def end(self, reference: str, version: int, last_day: date, debt_ids: list[UUID]) -> list[UUID]:
        """Protection ends on `last_day` for these debts (every debt of the moratorium when none are named);
        returns the debts whose hold ended."""
        rows = await self.session.execute(
            _END_HOLD,
            {"last_day": last_day, "version": version, "reference": reference, "debt_ids": debt_ids},
        )
        return [row.debt_id for row in rows]

    async def by_debt(self, debt_ids: list[UUID]) -> dict[UUID, list[BreathingSpaceHold]]:
        """The holds stored for each debt, as the domain sees them."""
        holds: dict[UUID, list[BreathingSpaceHold]] = defaultdict(list)
        for row in await self.session.execute(_HOLDS, {"debt_ids": debt_ids}):
            holds[row.debt_id].append(BreathingSpaceHold(row.starts_on, row.ends_on, row.ongoing_after))
        return holds
