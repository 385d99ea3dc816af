"""Each moratorium's derived record: its period and status, the match, the customers matched, how far its hold
has gone (version, started, ended), and the keys it could be found by."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class HoldProgress:
    """How far one moratorium's match and hold have gone (as last saved)."""

    match_state: str
    customer_ids: tuple[UUID, ...]
    searched_on: date | None
    hold_version: int
    hold_started: bool
    hold_ended: bool
    explanation: str | None = None
    broadcast_end: date | None = None
    """The end date last broadcast (expected end of an open hold, last protected day of an ended one)."""

    @classmethod
    def not_yet_recorded(cls) -> HoldProgress:
        """A moratorium seen for the first time."""
        return cls("awaiting_start", (), None, 0, False, False)


@dataclass(frozen=True)
class MoratoriumRecord:
    """Everything saved about a moratorium each time it is brought up to date."""

    moratorium_reference: str
    kind: str | None
    start_date: date | None
    end_date: date | None
    status: str
    progress: HoldProgress
    notified_reference_keys: list[str]
    notes: list[str]
    debtor_keys: list[str]
    application_date: date | None = None
    application_date_notified: bool = True


@dataclass(frozen=True)
class MoratoriumDetail:
    """One moratorium as its page shows it."""

    kind: str | None
    start_date: date | None
    end_date: date | None
    status: str
    match: str
    match_explanation: str | None
    customer_ids: list[UUID]
    hold_version: int
    hold_started: bool
    hold_ended: bool
    notes: list[Any]


@dataclass(frozen=True)
class OpenMoratorium:
    """A moratorium whose hold has not ended, for the status page."""

    moratorium_reference: str
    kind: str | None
    start_date: date | None
    end_date: date | None
    status: str
    match: str
    match_explanation: str | None
    hold_version: int
    notes: list[Any]
    debts_held: int
    application_date: date | None = None
    application_date_notified: bool = True


_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:reference, 7))")
_PROGRESS = text(
    "SELECT match_state, customer_ids, searched_on, hold_version, hold_started, hold_ended, broadcast_end "
    "FROM moratorium WHERE moratorium_reference = :reference"
)
_SAVE = text(
    """
    INSERT INTO moratorium (moratorium_reference, kind, start_date, end_date, status, match_state,
        match_explanation, customer_ids, notified_reference_keys, searched_on, hold_version,
        hold_started, hold_ended, notes, debtor_keys, application_date, application_date_notified,
        broadcast_end, updated_at)
    VALUES (:reference, :kind, :start, :end, :status, :match_state, :explanation,
        CAST(:customers AS uuid[]), CAST(:refs AS text[]), :searched_on, :version, :started, :ended,
        CAST(:notes AS jsonb), CAST(:debtor_keys AS text[]), :applied, :applied_notified, :broadcast_end, now())
    ON CONFLICT (moratorium_reference) DO UPDATE SET kind = EXCLUDED.kind,
        start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, status = EXCLUDED.status,
        match_state = EXCLUDED.match_state,
        match_explanation = coalesce(EXCLUDED.match_explanation, moratorium.match_explanation),
        customer_ids = EXCLUDED.customer_ids, notified_reference_keys = EXCLUDED.notified_reference_keys,
        searched_on = EXCLUDED.searched_on, hold_version = EXCLUDED.hold_version,
        hold_started = EXCLUDED.hold_started, hold_ended = EXCLUDED.hold_ended, notes = EXCLUDED.notes,
        debtor_keys = EXCLUDED.debtor_keys, application_date = EXCLUDED.application_date,
        application_date_notified = EXCLUDED.application_date_notified,
        broadcast_end = EXCLUDED.broadcast_end, updated_at = now()
    """
)
_TOUCHING = text(
    "SELECT moratorium_reference FROM moratorium WHERE NOT hold_ended AND start_date IS NOT NULL AND "
    "(customer_ids && CAST(:customers AS uuid[]) OR notified_reference_keys && CAST(:refs AS text[])) "
    "ORDER BY moratorium_reference"
)
UNMATCHED_SHARING_KEYS = text(
    "SELECT moratorium_reference FROM moratorium WHERE match_state = 'none' AND NOT hold_ended "
    "AND start_date IS NOT NULL AND debtor_keys && CAST(:keys AS text[]) ORDER BY 1"
)
"""Open moratoria that matched nobody and share a key with these customers: `domain.finding_keys.worth_scoring`
from the moratorium's side (the debtor's keys are stored with it)."""

DUE_TO_END = "NOT hold_ended AND hold_started AND end_date < :today"
"""The rule `domain.hold_lifecycle.hold_due_to_end` as a predicate on `moratorium` (a NULL end date, crisis
treatment continuing, is never due); `test_rules_agree_in_sql_and_python` checks the two agree."""
_DUE = text(f"SELECT moratorium_reference FROM moratorium WHERE {DUE_TO_END} ORDER BY moratorium_reference")
_DECIDED = text(
    "UPDATE moratorium SET match_state = :d, customer_ids = CAST(:c AS uuid[]), "
    "match_explanation = :why WHERE moratorium_reference = :r"
)
_DETAIL = text(
    "SELECT kind, start_date, end_date, status, match_state, match_explanation, customer_ids, "
    "hold_version, hold_started, hold_ended, notes FROM moratorium WHERE moratorium_reference = :r"
)
_OPEN = text(
    """
    SELECT m.moratorium_reference, m.kind, m.start_date, m.end_date, m.status, m.match_state,
           m.match_explanation, m.hold_version, m.notes,
           (SELECT count(*) FROM held_debt h WHERE h.moratorium_reference = m.moratorium_reference),
           m.application_date, m.application_date_notified
    FROM moratorium m WHERE NOT m.hold_ended ORDER BY m.end_date NULLS LAST, m.moratorium_reference
    """
)
_UNMATCHED = text(
    "SELECT moratorium_reference FROM moratorium WHERE match_state = 'none' AND NOT hold_ended ORDER BY 1"
)


class MoratoriumStore:
    """The moratorium records, and the lock that serialises work on one moratorium."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, moratorium_reference: str) -> None:
        """Serialise all work on one moratorium (several replicas, several routes) until the transaction ends."""
        await self.session.execute(_LOCK, {"reference": moratorium_reference})

    async def progress(self, moratorium_reference: str) -> HoldProgress | None:
        """How far the moratorium's match and hold have gone; None for one never recorded."""
        row = (await self.session.execute(_PROGRESS, {"reference": moratorium_reference})).first()
        if row is None:
            return None
        state, customers, searched_on, version, started, ended, broadcast_end = row
        return HoldProgress(
            state,
            tuple(customers),
            searched_on,
            int(version),
            bool(started),
            bool(ended),
            broadcast_end=broadcast_end,
        )

    async def save(self, record: MoratoriumRecord) -> None:
        """Insert or restate the moratorium's record (an earlier match explanation stays unless replaced)."""
        progress = record.progress
        await self.session.execute(
            _SAVE,
            {
                "reference": record.moratorium_reference,
                "kind": record.kind,
                "start": record.start_date,
                "end": record.end_date,
                "status": record.status,
                "match_state": progress.match_state,
                "explanation": progress.explanation,
                "customers": [str(c) for c in progress.customer_ids],
                "refs": record.notified_reference_keys,
                "searched_on": progress.searched_on if record.start_date is not None else None,
                "version": progress.hold_version,
                "started": progress.hold_started,
                "ended": progress.hold_ended,
                "notes": json.dumps(record.notes),
                "debtor_keys": record.debtor_keys,
                "applied": record.application_date,
                "applied_notified": record.application_date_notified,
                "broadcast_end": progress.broadcast_end,
            },
        )

    async def touching(self, customer_ids: Sequence[UUID], reference_keys: Sequence[str]) -> list[str]:
        """Open moratoria whose matched customers or notified references include these (billing's news)."""
        rows = await self.session.execute(
            _TOUCHING, {"customers": [str(c) for c in customer_ids], "refs": list(reference_keys)}
        )
        return [r for (r,) in rows]

    async def unmatched_sharing_keys(self, keys: Sequence[str]) -> list[str]:
        """Open moratoria that matched nobody and could be found by one of these keys."""
        rows = await self.session.execute(UNMATCHED_SHARING_KEYS, {"keys": list(keys)})
        return [r for (r,) in rows]

    async def due_to_end(self, today: date) -> list[str]:
        """Moratoria whose hold is due to end as of `today` (`hold_due_to_end`)."""
        return [r for (r,) in await self.session.execute(_DUE, {"today": today})]

    async def record_match_decision(
        self, moratorium_reference: str, decision: str, customer_ids: Sequence[UUID], explanation: str
    ) -> None:
        """An officer's decision on a possible match: the customers chosen (none when rejected)."""
        await self.session.execute(
            _DECIDED,
            {
                "d": decision,
                "c": [str(c) for c in customer_ids],
                "why": explanation,
                "r": moratorium_reference,
            },
        )

    async def detail(self, moratorium_reference: str) -> MoratoriumDetail | None:
        """One moratorium's record; None when it was never notified."""
        row = (await self.session.execute(_DETAIL, {"r": moratorium_reference})).first()
        if row is None:
            return None
        kind, start, end, status, match, why, customers, version, started, ended, notes = row
        return MoratoriumDetail(
            kind, start, end, status, match, why, list(customers), int(version), started, ended, list(notes)
        )

    async def open_moratoria(self) -> list[OpenMoratorium]:
        """Moratoria whose hold has not ended, soonest end first (crisis ones, without an end, last)."""
        rows = await self.session.execute(_OPEN)
        return [
            OpenMoratorium(
                ref,
                kind,
                start,
                end,
                status,
                match,
                why,
                int(version),
                list(notes),
                int(held),
                applied,
                notified,
            )
            for ref, kind, start, end, status, match, why, version, notes, held, applied, notified in rows
        ]

    async def unmatched(self) -> list[str]:
        """Open moratoria that matched no customer."""
        return [r for (r,) in await self.session.execute(_UNMATCHED)]
