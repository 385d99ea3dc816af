"""Breathing space periods the gateway keeps (to flag fees charged inside one and to hold back placements), and
the hold versions it must confirm once their hold files have gone out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class DebtBreathingSpace:
    """A debt's protection under one moratorium (open while `ends_on` is None)."""

    debt_id: UUID
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class ConfirmedHold:
    """A hold version whose every hold file has been uploaded."""

    moratorium_reference: str
    hold_version: int
    debt_ids: list[UUID]


# -- a breathing space covers a day, in SQL: twin of domain/enforcement_fees.BreathingSpacePeriod.covers (from
# starts_on to ends_on inclusive, or still running); tests/integration/agents_gateway/test_breathing_space_rule.py
# holds the two to the same answers. Over the period `b` and the parameter `:today`.
BREATHING_SPACE_COVERS_TODAY = "b.starts_on <= :today AND (b.ends_on IS NULL OR b.ends_on >= :today)"
"""The debt's breathing space period `b` covers `:today` (a placement is not sent while it does)."""

_PERIOD = text(
    "INSERT INTO breathing_space_period (moratorium_reference, debt_id, kind, starts_on, ends_on) "
    "SELECT :reference, debt_id, :kind, :starts_on, :ends_on "
    # In debt id order, so that two upserts of overlapping debts lock their rows in the same order (no deadlock).
    "FROM (SELECT DISTINCT debt_id FROM unnest(CAST(:debt_ids AS uuid[])) AS debt_id ORDER BY debt_id) AS d "
    "ON CONFLICT (moratorium_reference, debt_id) DO UPDATE SET starts_on = EXCLUDED.starts_on"
)
_KIND = text("SELECT kind FROM breathing_space_period WHERE moratorium_reference = :reference LIMIT 1")
_LOCK_IN_ORDER = text(
    "SELECT 1 FROM breathing_space_period WHERE moratorium_reference = :reference "
    "AND debt_id = ANY(CAST(:debt_ids AS uuid[])) ORDER BY debt_id FOR UPDATE"
)
_END = text(
    "UPDATE breathing_space_period SET ends_on = :last_day WHERE moratorium_reference = :reference "
    "AND debt_id = ANY(:debt_ids)"
)
_OF_DEBTS = text(
    "SELECT debt_id, starts_on, ends_on FROM breathing_space_period WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))"
)
_PROTECTED_ON = text(
    "SELECT DISTINCT b.debt_id FROM breathing_space_period b WHERE b.debt_id = ANY(CAST(:debt_ids AS uuid[])) "
    f"AND {BREATHING_SPACE_COVERS_TODAY}"
)
_AWAIT_CONFIRMATION = text(
    "INSERT INTO hold_confirmation (moratorium_reference, hold_version, debt_ids) "
    "VALUES (:reference, :version, :debt_ids) "
    "ON CONFLICT (moratorium_reference, hold_version) DO UPDATE SET debt_ids = EXCLUDED.debt_ids, confirmed_at = NULL"
)
_CONFIRMABLE = text(
    """
    UPDATE hold_confirmation h SET confirmed_at = now()
    WHERE confirmed_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM instruction i WHERE i.moratorium_reference = h.moratorium_reference
           AND i.hold_version = h.hold_version AND i.sent_file_id IS NULL)
    RETURNING moratorium_reference, hold_version, debt_ids
    """
)


class BreathingSpaceStore:
    """Moratoria periods by debt, and hold confirmations owed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def protect(
        self, moratorium_reference: str, kind: str, starts_on: date, debt_ids: Sequence[UUID]
    ) -> None:
        """These debts are protected under the moratorium from `starts_on` (a repeat restates the start)."""
        await self.session.execute(
            _PERIOD,
            {
                "reference": moratorium_reference,
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": None,
                "debt_ids": list(debt_ids),
            },
        )

    async def kind_of(self, moratorium_reference: str) -> str | None:
        """The moratorium's kind (standard, mental_health_crisis), when any of its debts is kept."""
        kind = (await self.session.execute(_KIND, {"reference": moratorium_reference})).scalar()
        return None if kind is None else str(kind)

    async def end(self, moratorium_reference: str, last_day: date, debt_ids: Sequence[UUID]) -> None:
        """The protection of these debts under the moratorium ended on `last_day`."""
        values = {"reference": moratorium_reference, "last_day": last_day, "debt_ids": list(debt_ids)}
        await self.session.execute(_LOCK_IN_ORDER, values)
        await self.session.execute(_END, values)

    async def of_debts(self, debt_ids: Sequence[UUID]) -> list[DebtBreathingSpace]:
        """Every breathing space period of these debts."""
        rows = await self.session.execute(_OF_DEBTS, {"debt_ids": list(debt_ids)})
        return [DebtBreathingSpace(*row) for row in rows.tuples()]

    async def protected_on(self, debt_ids: Sequence[UUID], today: date) -> set[UUID]:
        """Those of these debts a breathing space covers on this day."""
        rows = await self.session.execute(_PROTECTED_ON, {"debt_ids": list(debt_ids), "today": today})
        return set(rows.scalars())

    async def await_confirmation(
        self, moratorium_reference: str, hold_version: int, debt_ids: Sequence[UUID]
    ) -> None:
        """Confirm this hold version once its hold files have all gone out."""
        await self.session.execute(
            _AWAIT_CONFIRMATION,
            {"reference": moratorium_reference, "version": hold_version, "debt_ids": list(debt_ids)},
        )

    async def confirm_sent(self) -> list[ConfirmedHold]:
        """Mark confirmed every hold version whose hold files have all been uploaded; those confirmed."""
        rows = await self.session.execute(_CONFIRMABLE)
        return [ConfirmedHold(reference, version, list(ids)) for reference, version, ids in rows.tuples()]
