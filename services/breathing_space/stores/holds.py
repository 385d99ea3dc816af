"""The debts each moratorium holds, every hold version broadcast, and the confirmations the confirming services
send for each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class NewlyHeldDebt:
    """A debt a hold version covers for the first time."""

    debt_id: UUID
    creditor_reference: str
    debt_type: str
    source: str
    """notified | found_by_search"""
    reported_back_in: str | None
    not_protected_customer_ids: tuple[UUID, ...] = ()
    """On a joint debt, the liable customers who are not in the breathing space (`domain.debt_search`)."""
    protected_up_to: date | None = None
    """Sums falling due on or before it are protected; after it, ongoing liabilities (`domain.hold_scope`)."""
    ongoing_liabilities_pence: int = 0
    ongoing_from: date | None = None
    other_parties_policy: str | None = None
    """On a joint debt, what the council may do against the others (`domain.hold_scope.OtherPartiesPolicy`)."""


@dataclass(frozen=True)
class HeldDebt:
    """A debt a moratorium holds, as its page shows it."""

    debt_id: UUID
    creditor_reference: str | None
    debt_type: str | None
    source: str
    hold_version: int
    reported_back_in: str | None
    not_protected_customer_ids: list[UUID]
    protected_up_to: date | None = None
    ongoing_liabilities_pence: int = 0
    ongoing_from: date | None = None
    other_parties_policy: str | None = None


@dataclass(frozen=True)
class HeldDebtConfirmed:
    """A held debt of an open moratorium, its scope, and the services that confirmed holding it."""

    moratorium_reference: str
    debt_id: UUID
    creditor_reference: str | None
    debt_type: str | None
    ongoing_liabilities_pence: int
    ongoing_from: date | None
    not_protected_customer_ids: list[UUID]
    other_parties_policy: str | None
    confirmed_by: list[str]


@dataclass(frozen=True)
class BroadcastAwaiting:
    """A hold version some confirming service has not confirmed yet, with the confirmations so far."""

    moratorium_reference: str
    hold_version: int
    change: str
    broadcast_at: datetime
    confirmed_by: dict[str, datetime]


@dataclass(frozen=True)
class HoldVersion:
    """One hold version of a moratorium and the services that confirmed it."""

    hold_version: int
    change: str
    broadcast_at: datetime
    confirmed_by: list[str]


_HELD_IDS = text("SELECT debt_id FROM held_debt WHERE moratorium_reference = :reference")
_HOLD = text(
    "INSERT INTO held_debt (moratorium_reference, debt_id, creditor_reference, debt_type, source, "
    "hold_version, reported_back_in, not_protected_customer_ids, protected_up_to, ongoing_liabilities_pence, "
    "ongoing_from, other_parties_policy) "
    "SELECT :reference, d, r, t, s, :version, rb, CAST(string_to_array(np, ',') AS uuid[]), pu, op, of, pp "
    "FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:refs AS text[]), CAST(:types AS text[]), "
    "CAST(:sources AS text[]), CAST(:reports AS text[]), CAST(:not_protected AS text[]), "
    "CAST(:protected_up_to AS date[]), CAST(:ongoing AS bigint[]), CAST(:ongoing_from AS date[]), "
    "CAST(:policies AS text[])) AS x(d, r, t, s, rb, np, pu, op, of, pp)"
)
_BROADCAST = text(
    "INSERT INTO hold_broadcast (moratorium_reference, hold_version, change, debt_ids) "
    "VALUES (:reference, :version, :change, CAST(:debt_ids AS uuid[]))"
)
_CONFIRM = text(
    "INSERT INTO hold_confirmation (moratorium_reference, hold_version, service, confirmed_debt_ids) "
    "VALUES (:r, :v, :s, CAST(:d AS uuid[])) ON CONFLICT DO NOTHING"
)
_AWAITING = text(
    """
    SELECT b.moratorium_reference, b.hold_version, b.change, b.broadcast_at,
           coalesce(jsonb_object_agg(c.service, c.confirmed_at) FILTER (WHERE c.service IS NOT NULL),
                    '{}')
    FROM hold_broadcast b
    LEFT JOIN hold_confirmation c
      ON c.moratorium_reference = b.moratorium_reference AND c.hold_version = b.hold_version
    GROUP BY b.moratorium_reference, b.hold_version
    HAVING count(c.service) FILTER (WHERE c.service = ANY(CAST(:services AS text[]))) < :required
    """
)
_ALERTED = text(
    "UPDATE hold_broadcast SET alerted_at = now() WHERE moratorium_reference = :r "
    "AND hold_version = :v AND alerted_at IS NULL RETURNING 1"
)
_HELD_DEBTS = text(
    "SELECT debt_id, creditor_reference, debt_type, source, hold_version, reported_back_in, "
    "not_protected_customer_ids, protected_up_to, ongoing_liabilities_pence, ongoing_from, other_parties_policy "
    "FROM held_debt WHERE moratorium_reference = :r ORDER BY hold_version, creditor_reference"
)
_CONFIRMED_PER_DEBT = text(
    """
    SELECT h.moratorium_reference, h.debt_id, h.creditor_reference, h.debt_type, h.ongoing_liabilities_pence,
           h.ongoing_from, h.not_protected_customer_ids, h.other_parties_policy,
           coalesce(array_agg(DISTINCT c.service) FILTER (WHERE c.service IS NOT NULL), '{}')
    FROM held_debt h
    LEFT JOIN hold_broadcast b ON b.moratorium_reference = h.moratorium_reference
        AND b.change IN ('started', 'debts_added', 'restated')
    LEFT JOIN hold_confirmation c ON c.moratorium_reference = b.moratorium_reference
        AND c.hold_version = b.hold_version AND h.debt_id = ANY(c.confirmed_debt_ids)
    WHERE h.moratorium_reference = ANY(CAST(:refs AS text[]))
    GROUP BY h.moratorium_reference, h.debt_id
    ORDER BY h.moratorium_reference, h.creditor_reference
    """
)
_VERSIONS = text(
    "SELECT b.hold_version, b.change, b.broadcast_at, "
    "coalesce(array_agg(c.service ORDER BY c.service) FILTER (WHERE c.service IS NOT NULL), '{}') "
    "FROM hold_broadcast b LEFT JOIN hold_confirmation c ON c.moratorium_reference = "
    "b.moratorium_reference AND c.hold_version = b.hold_version WHERE b.moratorium_reference = :r "
    "GROUP BY b.hold_version, b.change, b.broadcast_at ORDER BY b.hold_version"
)


class HoldStore:
    """Held debts, hold broadcasts and their confirmations."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def held_debt_ids(self, moratorium_reference: str) -> set[UUID]:
        """Every debt the moratorium holds already."""
        return {r for (r,) in await self.session.execute(_HELD_IDS, {"reference": moratorium_reference})}

    async def hold(
        self, moratorium_reference: str, hold_version: int, debts: Sequence[NewlyHeldDebt]
    ) -> None:
        """Hold these debts from this hold version on (one statement for them all)."""
        await self.session.execute(
            _HOLD,
            {
                "reference": moratorium_reference,
                "debt_ids": [str(d.debt_id) for d in debts],
                "refs": [d.creditor_reference for d in debts],
                "types": [d.debt_type for d in debts],
                "sources": [d.source for d in debts],
                "version": hold_version,
                "reports": [d.reported_back_in for d in debts],
                "not_protected": [",".join(str(c) for c in d.not_protected_customer_ids) for d in debts],
                "protected_up_to": [d.protected_up_to for d in debts],
                "ongoing": [d.ongoing_liabilities_pence for d in debts],
                "ongoing_from": [d.ongoing_from for d in debts],
                "policies": [d.other_parties_policy for d in debts],
            },
        )

    async def record_broadcast(
        self, moratorium_reference: str, hold_version: int, change: str, debt_ids: Iterable[UUID]
    ) -> None:
        """A hold version went out (started, debts_added, ended or cancelled) for these debts."""
        await self.session.execute(
            _BROADCAST,
            {
                "reference": moratorium_reference,
                "version": hold_version,
                "change": change,
                "debt_ids": [str(i) for i in debt_ids],
            },
        )

    async def record_confirmation(
        self, service: str, moratorium_reference: str, hold_version: int, debt_ids: Iterable[UUID]
    ) -> None:
        """`service` applied this hold version (a repeat keeps the first confirmation)."""
        await self.session.execute(
            _CONFIRM,
            {"r": moratorium_reference, "v": hold_version, "s": service, "d": [str(d) for d in debt_ids]},
        )

    async def awaiting_confirmation(self, confirming_services: frozenset[str]) -> list[BroadcastAwaiting]:
        """Every hold version some of the confirming services has not confirmed yet."""
        rows = await self.session.execute(
            _AWAITING, {"services": sorted(confirming_services), "required": len(confirming_services)}
        )
        return [
            BroadcastAwaiting(
                ref,
                int(version),
                change,
                at,
                {service: datetime.fromisoformat(when) for service, when in confirmed.items()},
            )
            for ref, version, change, at, confirmed in rows
        ]

    async def first_alert(self, moratorium_reference: str, hold_version: int) -> bool:
        """Mark the hold version as alerted; True only the first time."""
        marked = await self.session.execute(_ALERTED, {"r": moratorium_reference, "v": hold_version})
        return marked.first() is not None

    async def held_debts(self, moratorium_reference: str) -> list[HeldDebt]:
        """The moratorium's held debts, by hold version and reference."""
        rows = await self.session.execute(_HELD_DEBTS, {"r": moratorium_reference})
        return [
            HeldDebt(i, ref, t, s, int(v), rb, list(np), pu, int(op), of, pp)
            for i, ref, t, s, v, rb, np, pu, op, of, pp in rows
        ]

    async def confirmed_per_debt(self, moratorium_references: list[str]) -> list[HeldDebtConfirmed]:
        """Every debt these moratoria hold, with the services that confirmed holding it (for the status page)."""
        rows = await self.session.execute(_CONFIRMED_PER_DEBT, {"refs": moratorium_references})
        return [
            HeldDebtConfirmed(m, i, ref, t, int(op), of, list(np), pp, list(by))
            for m, i, ref, t, op, of, np, pp, by in rows
        ]

    async def hold_versions(self, moratorium_reference: str) -> list[HoldVersion]:
        """Each hold version of the moratorium with the services that confirmed it."""
        rows = await self.session.execute(_VERSIONS, {"r": moratorium_reference})
        return [HoldVersion(int(v), c, at, list(by)) for v, c, at, by in rows]
