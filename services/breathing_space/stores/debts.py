"""The council's debts as breathing space needs them for the search (built from billing's events)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.customer_merges import liable_after_merges, records_of
from services.breathing_space.domain.debt_search import reference_key
from services.breathing_space.domain.hold_scope import Instalment
from shared.contracts.billing import BalanceChanged, DebtRaised, DebtTransferred


@dataclass(frozen=True)
class SearchedDebt:
    """A debt the search considers (see `CONSIDERED_BY_SEARCH`)."""

    debt_id: UUID
    customer_ids: tuple[UUID, ...]
    debt_type: str
    external_reference: str
    balance_pence: int
    raised_on: date | None
    instalments: tuple[Instalment, ...] = ()


_KEEP = text(
    """
    INSERT INTO debt (debt_id, customer_ids, debt_type, external_reference, reference_key, raised_on, balance_pence,
        instalments)
    SELECT id, CAST(string_to_array(customers, ',') AS uuid[]), debt_type, ref, key, raised_on, amount,
        CAST(schedule AS jsonb)
    FROM unnest(CAST(:ids AS uuid[]), CAST(:customers AS text[]), CAST(:types AS text[]), CAST(:refs AS text[]),
        CAST(:keys AS text[]), CAST(:raised AS date[]), CAST(:amounts AS bigint[]), CAST(:schedules AS text[]))
        AS t(id, customers, debt_type, ref, key, raised_on, amount, schedule)
    ON CONFLICT (debt_id) DO UPDATE SET
        -- a transfer billing announced first is newer than the customers the debt was raised against
        customer_ids = CASE WHEN debt.transferred_on IS NULL THEN EXCLUDED.customer_ids ELSE debt.customer_ids END,
        debt_type = EXCLUDED.debt_type,
        external_reference = EXCLUDED.external_reference, reference_key = EXCLUDED.reference_key,
        raised_on = EXCLUDED.raised_on, instalments = EXCLUDED.instalments,
        -- a balance change that arrived first is newer than the amount raised
        balance_pence = coalesce(debt.balance_pence, EXCLUDED.balance_pence), updated_at = now()
    RETURNING customer_ids
    """
)
_KEEP_BALANCES = text(
    """
    WITH incoming AS (
        SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[]), CAST(:balances AS bigint[]),
                             CAST(:customers AS text[])) AS t(debt_id, debt_type, balance, customers)
    ), before AS (
        SELECT d.debt_id, d.balance_pence FROM debt d JOIN incoming USING (debt_id)
    ), kept AS (
        INSERT INTO debt (debt_id, customer_ids, debt_type, balance_pence)
        SELECT debt_id, CAST(string_to_array(customers, ',') AS uuid[]), debt_type, balance FROM incoming
        ON CONFLICT (debt_id) DO UPDATE SET balance_pence = EXCLUDED.balance_pence, updated_at = now()
        RETURNING debt_id, balance_pence, customer_ids
    )
    SELECT kept.customer_ids FROM kept LEFT JOIN before USING (debt_id)
    WHERE kept.balance_pence > 0 AND (before.balance_pence IS NULL OR before.balance_pence <= 0)
    """
)
_CLOSE = text(
    "INSERT INTO debt (debt_id, closed) VALUES (:id, :why) "
    "ON CONFLICT (debt_id) DO UPDATE SET closed = EXCLUDED.closed, updated_at = now()"
)
_TRANSFER = text(
    """
    INSERT INTO debt (debt_id, customer_ids, debt_type, balance_pence, transferred_on)
    VALUES (:id, CAST(:customers AS uuid[]), :debt_type, :balance, :on)
    ON CONFLICT (debt_id) DO UPDATE SET customer_ids = EXCLUDED.customer_ids,
        transferred_on = EXCLUDED.transferred_on, updated_at = now()
    """
)
_CUSTOMERS_OF = text("SELECT customer_ids FROM debt WHERE debt_id = :id")
_RECORD_MERGE = text(
    "INSERT INTO customer_merge (merged_customer_id, into_customer_id, decided_by) VALUES (:merged, :into, :by) "
    "ON CONFLICT (merged_customer_id) DO UPDATE SET into_customer_id = EXCLUDED.into_customer_id"
)
_MERGE_DEBTS = text(
    """
    UPDATE debt SET customer_ids = ARRAY(
            SELECT DISTINCT ON (c) c FROM unnest(array_replace(customer_ids, CAST(:merged AS uuid),
                                                              CAST(:into AS uuid))) AS c),
        updated_at = now()
    WHERE customer_ids @> ARRAY[CAST(:merged AS uuid)]
    RETURNING debt_id
    """
)
# Read whole: one row per officer's merge decision, few beside the debts, and chains (a merge of a merge) need all.
_MERGES = text("SELECT merged_customer_id, into_customer_id FROM customer_merge")

CONSIDERED_BY_SEARCH = (
    "closed IS NULL AND external_reference IS NOT NULL "
    "AND (customer_ids && CAST(:customers AS uuid[]) OR reference_key = ANY(CAST(:references AS text[])))"
)
"""The rule `domain.debt_search.considered_by_search` as a predicate on `debt`, so the search reads only the
debts it may hold; `test_rules_agree_in_sql_and_python` checks the two agree."""
_SEARCH = text(
    "SELECT debt_id, customer_ids, debt_type, external_reference, balance_pence, raised_on, instalments FROM debt "
    f"WHERE {CONSIDERED_BY_SEARCH}"
)


class DebtStore:
    """Debts' liable customers, references, types, balances and whether they are still open."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def merges(self) -> dict[UUID, UUID]:
        """Every customer billing merged, and the customer it was merged into."""
        return {merged: into for merged, into in await self.session.execute(_MERGES)}

    async def merge_customers(self, merged: UUID, into: UUID, decided_by: str) -> list[UUID]:
        """Record that billing merged `merged` into `into`; the debts of `merged` known so far now belong to
        `into` (returns them). Debts announced later are read through the merge (`keep_raised`)."""
        await self.session.execute(_RECORD_MERGE, {"merged": merged, "into": into, "by": decided_by})
        rows = await self.session.execute(_MERGE_DEBTS, {"merged": str(merged), "into": str(into)})
        return [debt_id for (debt_id,) in rows]

    async def keep_raised(self, debts: Sequence[DebtRaised]) -> list[UUID]:
        """Insert or restate raised debts (one statement; a balance already known is kept), their liable
        customers read through billing's merges (a merge decided before the debt event arrived still applies);
        returns those customers and the records merged into them (`records_of`)."""
        merged_into = await self.merges()
        liable = [liable_after_merges(d.customer_ids, merged_into) for d in debts]
        rows = await self.session.execute(
            _KEEP,
            {
                "ids": [str(d.debt_id) for d in debts],
                "customers": [",".join(str(c) for c in customers) for customers in liable],
                "types": [d.debt_type for d in debts],
                "refs": [d.external_reference for d in debts],
                "keys": [reference_key(d.external_reference) for d in debts],
                "raised": [d.raised_on for d in debts],
                "amounts": [d.amount_pence for d in debts],
                "schedules": [
                    json.dumps([[i.due_date.isoformat(), i.amount_pence] for i in d.instalments])
                    for d in debts
                ],
            },
        )
        # The customers as kept (a transfer announced first stands), not necessarily those raised against.
        return sorted(records_of({c for (customers,) in rows for c in customers}, merged_into))

    async def transfer(self, transfer: DebtTransferred) -> list[UUID]:
        """The debt now belongs to `to_customer_ids` (read through billing's merges), whether or not its
        `DebtRaised` has arrived (a later one keeps these customers); returns the customers on both sides, and the
        records merged into them, whose moratoria the transfer may touch."""
        merged_into = await self.merges()
        to = liable_after_merges(transfer.to_customer_ids, merged_into)
        await self.session.execute(
            _TRANSFER,
            {
                "id": transfer.debt_id,
                "customers": [str(c) for c in to],
                "debt_type": transfer.debt_type,
                "balance": transfer.balance_pence,
                "on": transfer.transferred_on,
            },
        )
        both = {*to, *liable_after_merges(transfer.from_customer_ids, merged_into)}
        return sorted(records_of(both, merged_into))

    async def keep_balances(self, changes: Sequence[BalanceChanged]) -> list[UUID]:
        """Restate balances (one statement); returns the customers of debts owing again (or for the first
        time), whose open moratoria may now cover them."""
        merged_into = await self.merges()
        rows = await self.session.execute(
            _KEEP_BALANCES,
            {
                "ids": [str(m.debt_id) for m in changes],
                "types": [m.debt_type for m in changes],
                "balances": [m.balance_pence for m in changes],
                "customers": [
                    ",".join(str(c) for c in liable_after_merges(m.customer_ids, merged_into))
                    for m in changes
                ],
            },
        )
        return sorted(records_of({c for (ids,) in rows for c in ids}, merged_into))

    async def close(self, debt_id: UUID, why: str | None) -> None:
        """Settled, cancelled or written off (`why`), or owed again (None)."""
        await self.session.execute(_CLOSE, {"id": debt_id, "why": why})

    async def customers_of(self, debt_id: UUID) -> list[UUID]:
        """The debt's liable customers (none when unknown)."""
        return list((await self.session.execute(_CUSTOMERS_OF, {"id": debt_id})).scalar_one_or_none() or [])

    async def considered_by_search(
        self, customer_ids: Sequence[UUID], reference_keys: Sequence[str]
    ) -> list[SearchedDebt]:
        """Debts the search considers for these matched customers and notified references."""
        rows = await self.session.execute(
            _SEARCH, {"customers": [str(c) for c in customer_ids], "references": list(reference_keys)}
        )
        return [
            SearchedDebt(i, tuple(customers), t, ref, balance or 0, raised, _schedule(schedule))
            for i, customers, t, ref, balance, raised, schedule in rows
        ]


def _schedule(stored: list[list[object]] | str | None) -> tuple[Instalment, ...]:
    rows = json.loads(stored) if isinstance(stored, str) else (stored or [])
    return tuple(Instalment(date.fromisoformat(str(due)), int(str(pence))) for due, pence in rows)
