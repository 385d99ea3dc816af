"""Breathing space notices as recovery heard them (`breathing_space_notice`), kept per debt so that a moratorium
for a debt not yet raised is applied when its case opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.store import Store


@dataclass(frozen=True)
class BreathingSpaceNotice:
    """A moratorium covering one debt: its kind, dates, and the hold version last heard."""

    moratorium_reference: str
    debt_id: UUID
    kind: str
    starts_on: date
    expected_end_on: date | None
    last_protected_day: date | None
    hold_version: int


@dataclass(frozen=True)
class MoratoriumTerms:
    """What is known of a moratorium from any debt it covers."""

    kind: str
    expected_end_on: date | None


class BreathingSpaceNoticeStore(Store):
    """Remembering moratoria by debt, their end, and what a debt's new case must apply."""

    _REMEMBER = text(
        """
        INSERT INTO recovery.breathing_space_notice
            (moratorium_reference, debt_id, kind, starts_on, expected_end_on, hold_version)
        SELECT :reference, unnest(CAST(:debt_ids AS uuid[])), :kind, :starts_on, :expected_end_on, :version
        ON CONFLICT (moratorium_reference, debt_id) DO UPDATE
           SET starts_on = excluded.starts_on, expected_end_on = excluded.expected_end_on,
               hold_version = greatest(recovery.breathing_space_notice.hold_version, excluded.hold_version)
        """
    )
    _TERMS = text(
        "SELECT kind, expected_end_on FROM recovery.breathing_space_notice "
        "WHERE moratorium_reference = :reference LIMIT 1"
    )
    _ENDED = text(
        "UPDATE recovery.breathing_space_notice SET last_protected_day = :last, "
        "hold_version = greatest(hold_version, :version) WHERE moratorium_reference = :reference"
    )
    _FOR_DEBT = text(
        "SELECT moratorium_reference, debt_id, kind, starts_on, expected_end_on, last_protected_day, hold_version "
        "FROM recovery.breathing_space_notice WHERE debt_id = :debt_id ORDER BY starts_on"
    )

    async def remember(
        self,
        reference: str,
        debt_ids: list[UUID],
        kind: str,
        starts_on: date,
        expected_end_on: date | None,
        version: int,
    ) -> None:
        """Keep the moratorium for each debt (the latest dates, the highest version)."""
        await self.session.execute(
            self._REMEMBER,
            {
                "reference": reference,
                "debt_ids": debt_ids,
                "kind": kind,
                "starts_on": starts_on,
                "expected_end_on": expected_end_on,
                "version": version,
            },
        )

    async def terms(self, reference: str) -> MoratoriumTerms | None:
        """The moratorium's kind and expected end, if recovery has heard of it."""
        row = (await self.session.execute(self._TERMS, {"reference": reference})).first()
        return None if row is None else MoratoriumTerms(row.kind, row.expected_end_on)

    async def ended(self, reference: str, last_protected_day: date, version: int) -> None:
        """The moratorium ended after `last_protected_day`."""
        await self.session.execute(
            self._ENDED, {"last": last_protected_day, "version": version, "reference": reference}
        )

    async def for_debt(self, debt_id: UUID) -> list[BreathingSpaceNotice]:
        """Every moratorium heard of for the debt, earliest first."""
        result = await self.session.execute(self._FOR_DEBT, {"debt_id": debt_id})
        return [BreathingSpaceNotice(**r._mapping) for r in result]
