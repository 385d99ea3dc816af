"""Who owes what, as billing told this service (`writeoff.debtor`, from `billing.customer.registered` and
`.amended`; each debt's reference and dates in `writeoff.debt_standing`, from `billing.debt.raised`): for the
names on schedules and for finding a person to declare an interest in. No other service's table is read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class Debtor:
    """A customer as billing last described them."""

    customer_id: UUID
    kind: str
    name: str
    postcode: str
    address: str
    account_references: dict[str, str]


@dataclass(frozen=True, slots=True)
class DebtDescribed:
    """A debt's own reference and dates, and who is liable for it."""

    debt_id: UUID
    customer_ids: tuple[str, ...]
    debt_type: str | None
    external_reference: str | None
    due_date: date | None
    raised_on: date | None


@dataclass(frozen=True, slots=True)
class DebtorFound:
    """A debtor a search found, with the debts this service knows they are liable for."""

    debtor: Debtor
    debts: tuple[DebtDescribed, ...]


def _debtor(row: Any) -> Debtor:
    return Debtor(
        customer_id=row.customer_id,
        kind=row.kind,
        name=row.name,
        postcode=row.postcode,
        address=row.address,
        account_references=dict(row.account_references or {}),
    )


def _debt(row: Any) -> DebtDescribed:
    return DebtDescribed(
        debt_id=row.debt_id,
        customer_ids=tuple(str(c) for c in (row.customer_ids or ())),
        debt_type=row.debt_type,
        external_reference=row.external_reference,
        due_date=row.due_date,
        raised_on=row.raised_on,
    )


@dataclass(frozen=True, slots=True)
class DebtorRecord:
    """A debtor as an event describes them, with the text a search matches."""

    debtor: Debtor
    search_text: str


class DebtorStore:
    """The debtor projection and the debts' references."""

    _RECORD = text(
        """
        INSERT INTO writeoff.debtor (customer_id, kind, name, postcode, address, account_references, search_text)
        SELECT c, k, n, p, a, CAST(r AS jsonb), s
        FROM unnest(CAST(:customer_ids AS uuid[]), CAST(:kinds AS text[]), CAST(:names AS text[]),
                    CAST(:postcodes AS text[]), CAST(:addresses AS text[]), CAST(:refs AS text[]),
                    CAST(:texts AS text[])) AS x(c, k, n, p, a, r, s)
        ON CONFLICT (customer_id) DO UPDATE SET
            kind = EXCLUDED.kind, name = EXCLUDED.name, postcode = EXCLUDED.postcode, address = EXCLUDED.address,
            account_references = EXCLUDED.account_references, search_text = EXCLUDED.search_text
        """
    )
    _DEBTORS = text(
        """
        SELECT customer_id, kind, name, postcode, address, account_references FROM writeoff.debtor
        WHERE customer_id = ANY(CAST(:customer_ids AS uuid[]))
        """
    )
    _DEBTS = text(
        """
        SELECT debt_id, customer_ids, debt_type, external_reference, due_date, raised_on
        FROM writeoff.debt_standing WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))
        """
    )
    # Every word must appear in the debtor's text, or the whole search is a debt's own reference.
    _SEARCH = text(
        """
        SELECT customer_id, kind, name, postcode, address, account_references FROM writeoff.debtor
        WHERE (SELECT bool_and(search_text LIKE '%' || w || '%') FROM unnest(CAST(:words AS text[])) AS w)
           OR customer_id IN (
                SELECT CAST(c AS uuid) FROM writeoff.debt_standing s,
                     json_array_elements_text(s.customer_ids) AS c
                WHERE lower(s.external_reference) = :whole)
        ORDER BY name, postcode LIMIT :limit
        """
    )
    _DEBTS_OF = text(
        """
        SELECT debt_id, customer_ids, debt_type, external_reference, due_date, raised_on
        FROM writeoff.debt_standing
        WHERE CAST(customer_ids AS jsonb) ?| CAST(:customer_ids AS text[])
        ORDER BY due_date NULLS LAST
        """
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, debtors: Sequence[DebtorRecord]) -> None:
        """Keep each debtor as last described (later in the batch wins)."""
        latest = {record.debtor.customer_id: record for record in debtors}
        rows = list(latest.values())
        if not rows:
            return
        await self.session.execute(
            self._RECORD,
            {
                "customer_ids": [r.debtor.customer_id for r in rows],
                "kinds": [r.debtor.kind for r in rows],
                "names": [r.debtor.name for r in rows],
                "postcodes": [r.debtor.postcode for r in rows],
                "addresses": [r.debtor.address for r in rows],
                "refs": [json.dumps(r.debtor.account_references) for r in rows],
                "texts": [r.search_text for r in rows],
            },
        )

    async def debtors(self, customer_ids: Iterable[str]) -> dict[str, Debtor]:
        """The debtors known among these customer ids (one query), by customer id as text."""
        wanted = []
        for customer_id in set(customer_ids):
            try:
                wanted.append(UUID(customer_id))
            except ValueError:
                continue  # a request naming no customer billing knows
        rows = await self.session.execute(self._DEBTORS, {"customer_ids": wanted})
        return {str(row.customer_id): _debtor(row) for row in rows}

    async def debts(self, debt_ids: Iterable[UUID]) -> dict[UUID, DebtDescribed]:
        """The references and dates of these debts (one query)."""
        rows = await self.session.execute(self._DEBTS, {"debt_ids": list(set(debt_ids))})
        return {row.debt_id: _debt(row) for row in rows}

    async def search(self, words: Sequence[str], whole: str, limit: int = 20) -> list[DebtorFound]:
        """Debtors whose name, address, postcode or references contain every word, or liable for the debt whose
        reference is `whole`; each with the debts this service knows of them."""
        if not words and not whole:
            return []
        found = [
            _debtor(row)
            for row in await self.session.execute(
                self._SEARCH, {"words": list(words) or [whole], "whole": whole, "limit": limit}
            )
        ]
        if not found:
            return []
        ids = [str(d.customer_id) for d in found]
        debts = [_debt(row) for row in await self.session.execute(self._DEBTS_OF, {"customer_ids": ids})]
        return [
            DebtorFound(debtor, tuple(d for d in debts if str(debtor.customer_id) in d.customer_ids))
            for debtor in found
        ]
