"""What every service's stores share: the set of stores bound to one transaction, and rows read as typed records.

A service declares its stores once, as a frozen dataclass of store classes each made from a session:

    @dataclass(frozen=True)
    class RecoveryStores(StoresOfOneTransaction):
        cases: CaseStore
        holds: HoldStore

`RecoveryStores.on(session)` then makes every store on that session (the runtime calls it for each inbox
transaction), so no service writes the same constructor again. `rows_as` and `row_as` turn result rows into the
store's typed rows by column name: a statement names its columns as the dataclass names its fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Self, TypeVar, get_type_hints

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


_STORE_CLASSES: dict[type, tuple[tuple[str, Any], ...]] = {}


def _store_classes(stores_class: type) -> tuple[tuple[str, Any], ...]:
    # Resolved once per class: the runtime makes a service's stores for every inbox transaction.
    known = _STORE_CLASSES.get(stores_class)
    if known is None:
        hints = get_type_hints(stores_class)
        known = tuple((field.name, hints[field.name]) for field in dataclasses.fields(stores_class))
        _STORE_CLASSES[stores_class] = known
    return known


class StoresOfOneTransaction:
    """Base of a service's `<Service>Stores` dataclass: every field a store class taking the session."""

    @classmethod
    def on(cls, session: AsyncSession) -> Self:
        """Every store of the service, on this transaction's session."""
        return cls(**{name: store(session) for name, store in _store_classes(cls)})


def row_as(record: type[T], row: Row[Any] | Any) -> T:
    """One result row as the typed record whose fields its columns name."""
    return record(**row._mapping)


def rows_as(record: type[T], rows: Iterable[Row[Any] | Any]) -> list[T]:
    """Every result row as the typed record whose fields its columns name."""
    return [record(**row._mapping) for row in rows]


def optional_row_as(record: type[T], row: Row[Any] | Any | None) -> T | None:
    """A row that may be absent, as its typed record or None."""
    return None if row is None else record(**row._mapping)
