"""A service declares its stores once; each transaction gets every one of them on its own session, and rows come
back as the store's typed records by column name."""

from __future__ import annotations

from dataclasses import dataclass

from shared.persistence.stores import StoresOfOneTransaction, optional_row_as, row_as, rows_as


class CaseStore:
    def __init__(self, session: object) -> None:
        self.session = session


class HoldStore:
    def __init__(self, session: object) -> None:
        self.session = session


@dataclass(frozen=True)
class RecoveryStores(StoresOfOneTransaction):
    cases: CaseStore
    holds: HoldStore


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    balance_pence: int


class FakeRow:
    """Stands for SQLAlchemy's Row: its `_mapping` is the column names and values."""

    def __init__(self, **columns: object) -> None:
        self._mapping = columns


def test_every_store_of_a_service_is_made_on_the_transactions_session() -> None:
    session = object()
    stores = RecoveryStores.on(session)  # type: ignore[arg-type]
    assert isinstance(stores.cases, CaseStore) and isinstance(stores.holds, HoldStore)
    assert stores.cases.session is session and stores.holds.session is session


def test_rows_become_typed_records_by_column_name() -> None:
    assert row_as(CaseRow, FakeRow(case_id="c1", balance_pence=150_00)) == CaseRow("c1", 150_00)
    assert rows_as(CaseRow, [FakeRow(balance_pence=1, case_id="c2")]) == [CaseRow("c2", 1)]
    assert optional_row_as(CaseRow, None) is None
