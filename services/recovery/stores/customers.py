"""The debtors as recovery knows them (`customer`: the name letters are addressed to, person or organisation,
large print) and what officers and agents recorded of their circumstances (`circumstances`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.store import Store


@dataclass(frozen=True)
class Debtor:
    """What a letter needs to know of the person or body it is addressed to."""

    name: str = "the account holder"
    large_print: bool = False


@dataclass(frozen=True)
class CircumstancesEntry:
    """One record of a customer's circumstances."""

    entry_id: UUID
    customer_id: UUID
    recorded_on: date
    vulnerable: bool
    cant_pay: bool
    wont_pay: bool
    indicators: tuple[str, ...]
    large_print: bool
    reviewed: bool
    notes: str
    recorded_by: str


def joint_debtor(names_and_print: list[tuple[str, bool]]) -> Debtor:
    """Joint debtors get one letter to both names; large print if either needs it."""
    if not names_and_print:
        return Debtor()
    return Debtor(
        name=" and ".join(name for name, _ in names_and_print),
        large_print=any(large for _, large in names_and_print),
    )


class CustomerStore(Store):
    """Debtors' names, kinds and needs, and their circumstances."""

    _REMEMBER = text(
        "INSERT INTO recovery.customer (customer_id, kind, name) VALUES (:id, :kind, :name) "
        "ON CONFLICT (customer_id) DO UPDATE SET kind = excluded.kind, name = excluded.name"
    )
    _LARGE_PRINT = text(
        "INSERT INTO recovery.customer (customer_id, kind, name, large_print) "
        "VALUES (:id, 'person', 'the account holder', true) "
        "ON CONFLICT (customer_id) DO UPDATE SET large_print = true"
    )
    _OF = text("SELECT name, large_print FROM recovery.customer WHERE customer_id = ANY(:ids)")
    _OF_CASES = text(
        """
        SELECT cc.case_id, c.name, c.large_print
          FROM recovery.case_customer cc JOIN recovery.customer c ON c.customer_id = cc.customer_id
         WHERE cc.case_id = ANY(:ids)
        """
    )
    _CIRCUMSTANCES = text(
        "INSERT INTO recovery.circumstances (entry_id, customer_id, recorded_on, vulnerable, cant_pay, "
        "wont_pay, indicators, large_print, reviewed, notes, recorded_by) VALUES (:entry_id, :customer_id, "
        ":recorded_on, :vulnerable, :cant_pay, :wont_pay, CAST(:indicators AS jsonb), :large_print, :reviewed, "
        ":notes, :recorded_by)"
    )

    async def remember(self, customer_id: UUID, kind: str, name: str) -> None:
        """Keep the customer's name and kind as billing registered or amended them."""
        await self.session.execute(self._REMEMBER, {"id": customer_id, "kind": kind, "name": name})

    async def needs_large_print(self, customer_id: UUID) -> None:
        """Letters to the customer are in large print from now on."""
        await self.session.execute(self._LARGE_PRINT, {"id": customer_id})

    async def debtor(self, customer_ids: list[UUID]) -> Debtor:
        """Who one case's letters go to."""
        rows = await self.session.execute(self._OF, {"ids": customer_ids})
        return joint_debtor([(r.name, r.large_print) for r in rows])

    async def debtors_of_cases(self, case_ids: list[UUID]) -> dict[UUID, Debtor]:
        """Who each case's letters go to, for many cases in one query."""
        names: dict[UUID, list[tuple[str, bool]]] = {}
        for r in await self.session.execute(self._OF_CASES, {"ids": case_ids}):
            names.setdefault(r.case_id, []).append((r.name, r.large_print))
        return {case_id: joint_debtor(found) for case_id, found in names.items()}

    async def record_circumstances(self, entry: CircumstancesEntry) -> None:
        """Add a record of the customer's circumstances."""
        await self.session.execute(
            self._CIRCUMSTANCES, {**entry.__dict__, "indicators": json.dumps(list(entry.indicators))}
        )
