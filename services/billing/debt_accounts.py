"""A debt's account in billing's tables: its lines (instalments, then costs, interest, fees, reinstatements),
the postings ledger, and the running balance. Every movement is a posting; the balance column is their sum,
kept beside them in the same statement so a reader never sees one without the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.balances import DebtPosting, PostingKind
from services.billing.domain.debt_position import DebtPosition, InstalmentPosition
from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear
from shared.contracts.billing import BalanceChanged, DebtSettled
from shared.contracts.envelope import Contract
from shared.money import Pence

_ACCOUNT_COLUMNS = """
    d.debt_id, d.debt_type, d.financial_year, d.originating_service, d.income_code, d.status, d.balance_pence,
    d.written_off_pence, d.requesting_system, d.external_reference, d.account_reference, d.due_date,
    d.interest_accrued_to, d.late_fee_charged, d.amount_pence,
    (SELECT array_agg(p.customer_id ORDER BY p.customer_id) FROM debt_party p WHERE p.debt_id = d.debt_id)
        AS customer_ids,
    l.numbers, l.due_dates, l.outstanding, l.kinds
"""
_LINES = """
    LEFT JOIN LATERAL (
        SELECT array_agg(number ORDER BY number) AS numbers, array_agg(due_date ORDER BY number) AS due_dates,
               array_agg(outstanding_pence ORDER BY number) AS outstanding, array_agg(kind ORDER BY number) AS kinds
        FROM debt_line WHERE debt_id = d.debt_id AND outstanding_pence > 0) l ON true
"""
_BY_CUSTOMER = "d.debt_id IN (SELECT debt_id FROM debt_party WHERE customer_id = :customer_id)"
_BY_CUSTOMERS = (
    "d.debt_id IN (SELECT debt_id FROM debt_party WHERE customer_id = ANY(CAST(:customer_ids AS uuid[])))"
)
_BY_DEBT = "d.debt_id = ANY(CAST(:debt_ids AS uuid[]))"
_BY_REFERENCE = "d.requesting_system = :requesting_system AND d.external_reference = :external_reference"


class _Accounts:
    """Reading debts found by one condition, and locking them first when they are about to change.

    Billing runs as several competing consumers: whoever is about to change a debt holds its row until commit,
    so two payments for one customer handled by two replicas never allocate the same instalment twice. Locked in
    debt id order, the same in every transaction, so two batches wait for each other instead of deadlocking. The
    lock is its own statement: the read after it takes a fresh snapshot and so sees the lines as the transaction
    that held the lock left them (a locking read re-checks only the locked row, not the lines joined to it).
    """

    def __init__(self, condition: str) -> None:
        self.read = text(f"SELECT {_ACCOUNT_COLUMNS} FROM debt d {_LINES} WHERE {condition}")
        self.lock = text(f"SELECT d.debt_id FROM debt d WHERE {condition} ORDER BY d.debt_id FOR UPDATE")

    async def rows(self, session: AsyncSession, parameters: dict[str, Any], lock: bool):  # type: ignore[no-untyped-def]
        if lock:
            await session.execute(self.lock, parameters)
        return await session.execute(self.read, parameters)


_OF_CUSTOMER, _OF_CUSTOMERS, _NAMED, _BY_ITS_REFERENCE = map(
    _Accounts, (_BY_CUSTOMER, _BY_CUSTOMERS, _BY_DEBT, _BY_REFERENCE)
)


_POST = text(
    """
    WITH line_changes AS (
        SELECT debt_id, number, sum(change) AS change
        FROM unnest(CAST(:line_debts AS uuid[]), CAST(:line_numbers AS int[]), CAST(:line_changes AS bigint[]))
            AS c(debt_id, number, change)
        GROUP BY debt_id, number),
    lines AS (
        UPDATE debt_line l SET outstanding_pence = l.outstanding_pence + c.change
        FROM line_changes c WHERE l.debt_id = c.debt_id AND l.number = c.number RETURNING l.debt_id),
    posted AS (
        INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference)
        SELECT debt_id, kind, amount, posted_on, cause
        FROM unnest(CAST(:debts AS uuid[]), CAST(:kinds AS text[]), CAST(:amounts AS bigint[]),
                    CAST(:dates AS date[]), CAST(:causes AS text[])) AS p(debt_id, kind, amount, posted_on, cause)
        RETURNING debt_id),
    moved AS (
        UPDATE debt d SET balance_pence = d.balance_pence + m.change
        FROM (SELECT debt_id, sum(change) AS change
              FROM unnest(CAST(:debts AS uuid[]), CAST(:changes AS bigint[])) AS m(debt_id, change)
              GROUP BY debt_id) m
        WHERE d.debt_id = m.debt_id RETURNING d.debt_id, d.balance_pence)
    SELECT debt_id, balance_pence, (SELECT count(*) FROM lines) AS lines, (SELECT count(*) FROM posted) AS posted
    FROM moved
    """
)


@dataclass(frozen=True)
class DebtAccount:
    """One debt as billing holds it: what it is, who owes it, its balance and its unpaid lines."""

    debt_id: UUID
    debt_type: DebtType
    financial_year: str
    originating_service: str
    income_code: str
    status: str
    balance_pence: Pence
    written_off_pence: Pence
    requesting_system: str
    external_reference: str
    account_reference: str | None
    due_date: date
    interest_accrued_to: date | None
    late_fee_charged: bool
    amount_pence: Pence
    customer_ids: tuple[UUID, ...]
    lines: tuple[InstalmentPosition, ...]
    line_kinds: tuple[str, ...]

    @cached_property
    def position(self) -> DebtPosition:
        """The debt as allocation and corrections see it."""
        return DebtPosition(
            str(self.debt_id), self.debt_type, FinancialYear.parse(self.financial_year), self.lines
        )

    @property
    def is_open(self) -> bool:
        """Open for payments and corrections: neither cancelled nor wholly written off."""
        return self.status == "open"


def _account(row) -> DebtAccount:  # type: ignore[no-untyped-def]
    numbers = row.numbers or []
    lines = tuple(
        InstalmentPosition(n, d, o)
        for n, d, o in zip(numbers, row.due_dates or [], row.outstanding or [], strict=True)
    )
    return DebtAccount(
        debt_id=row.debt_id,
        debt_type=DebtType(row.debt_type),
        financial_year=row.financial_year,
        originating_service=row.originating_service,
        income_code=row.income_code,
        status=row.status,
        balance_pence=row.balance_pence,
        written_off_pence=row.written_off_pence,
        requesting_system=row.requesting_system,
        external_reference=row.external_reference,
        account_reference=row.account_reference,
        due_date=row.due_date,
        interest_accrued_to=row.interest_accrued_to,
        late_fee_charged=row.late_fee_charged,
        amount_pence=row.amount_pence,
        customer_ids=tuple(row.customer_ids or ()),
        lines=lines,
        line_kinds=tuple(row.kinds or ()),
    )


async def accounts_of_customer(
    session: AsyncSession, customer_id: UUID, *, lock: bool = True
) -> list[DebtAccount]:
    """Every debt a customer is liable for (the single view of debt), locked for changing unless `lock=False`
    (enquiries only read)."""
    rows = await _OF_CUSTOMER.rows(session, {"customer_id": customer_id}, lock)
    return [_account(r) for r in rows]


async def accounts_of_customers(session: AsyncSession, customer_ids: list[UUID]) -> list[DebtAccount]:
    """Every debt any of these customers is liable for, locked (a batch of payments loads them at once)."""
    rows = await _OF_CUSTOMERS.rows(session, {"customer_ids": customer_ids}, True)
    return [_account(r) for r in rows]


async def accounts(
    session: AsyncSession, debt_ids: list[UUID], *, lock: bool = True
) -> dict[UUID, DebtAccount]:
    """The named debts, by id (unknown ids are absent), locked for changing unless `lock=False`."""
    rows = await _NAMED.rows(session, {"debt_ids": debt_ids}, lock)
    return {a.debt_id: a for a in map(_account, rows)}


async def account_by_reference(
    session: AsyncSession, requesting_system: str, external_reference: str
) -> DebtAccount | None:
    """The debt a council system raised under its own reference, locked for changing."""
    row = (
        await _BY_ITS_REFERENCE.rows(
            session, {"requesting_system": requesting_system, "external_reference": external_reference}, True
        )
    ).first()
    return _account(row) if row else None


@dataclass(frozen=True)
class Movement:
    """A posting on a debt and how it changes the debt's lines (negative: taken off a line)."""

    posting: DebtPosting
    posted_on: date
    cause_reference: str | None = None
    line_changes: tuple[tuple[int, Pence], ...] = ()


async def post_movements(session: AsyncSession, movements: list[Movement]) -> dict[UUID, Pence]:
    """Write the postings, change the lines and move each debt's balance, in one statement. Returns the new
    balance of every debt touched."""
    if not movements:
        return {}
    line_debts, line_numbers, line_changes = [], [], []
    for movement in movements:
        for number, change in movement.line_changes:
            line_debts.append(UUID(movement.posting.debt_id))
            line_numbers.append(number)
            line_changes.append(change)
    result = await session.execute(
        _POST,
        {
            "line_debts": line_debts,
            "line_numbers": line_numbers,
            "line_changes": line_changes,
            "debts": [UUID(m.posting.debt_id) for m in movements],
            "kinds": [m.posting.kind.value for m in movements],
            "amounts": [m.posting.amount_pence for m in movements],
            "dates": [m.posted_on for m in movements],
            "causes": [m.cause_reference for m in movements],
            "changes": [m.posting.signed_pence for m in movements],
        },
    )
    return {row.debt_id: row.balance_pence for row in result}


async def add_line(
    session: AsyncSession, debt_id: UUID, kind: str, due_date: date, amount_pence: Pence
) -> int:
    """Add a line owed on the debt (costs, interest, a fee, a reinstated amount); returns its number. The
    posting that raises the balance is the caller's."""
    return (
        await session.execute(
            text(
                "INSERT INTO debt_line (debt_id, number, kind, due_date, amount_pence, outstanding_pence) "
                "SELECT :debt_id, coalesce(max(number), 0) + 1, :kind, :due_date, :amount, :amount "
                "FROM debt_line WHERE debt_id = :debt_id RETURNING number"
            ),
            {"debt_id": debt_id, "kind": kind, "due_date": due_date, "amount": amount_pence},
        )
    ).scalar_one()


def balance_events(
    account: DebtAccount, new_balance: Pence, change: Pence, cause: str, as_of: date
) -> list[Contract]:
    """BalanceChanged for a moved balance, and DebtSettled when it has just reached nil."""
    events: list[Contract] = [
        BalanceChanged(
            debt_id=account.debt_id,
            customer_ids=list(account.customer_ids),
            debt_type=account.debt_type.value,
            balance_pence=new_balance,
            change_pence=change,
            cause=cause,
            as_of=as_of,
        )
    ]
    # A write-off or cancellation has its own event; anything else that brings the balance to nil settles it.
    if new_balance == 0 and new_balance - change != 0 and cause not in ("write_off", "cancellation"):
        events.append(DebtSettled(debt_id=account.debt_id, settled_on=as_of))
    return events


def posting(debt_id: UUID, kind: PostingKind, amount_pence: Pence) -> DebtPosting:
    """A domain posting for a debt id."""
    return DebtPosting(str(debt_id), kind, amount_pence)
