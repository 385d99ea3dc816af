"""The debts store: a debt's row, its liable parties, its lines and its postings ledger.

Billing runs as several competing consumers: whoever is about to change a debt holds its row until commit, so two
payments for one customer handled by two replicas never allocate the same instalment twice. Locked in debt id
order, the same in every transaction, so two batches wait for each other instead of deadlocking. The lock is its
own statement: the read after it takes a fresh snapshot and so sees the lines as the transaction that held the
lock left them (a locking read re-checks only the locked row, not the lines joined to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import DebtAccount, Movement
from services.billing.domain.balances import DebtPosting, PostingKind
from services.billing.domain.debt_position import InstalmentPosition
from services.billing.domain.debt_status import OPEN, WRITTEN_OFF
from services.billing.domain.debt_types import DebtType
from services.billing.domain.instalments import Instalment
from shared.contracts.billing import DebtRaised
from shared.money import Pence

DEBT_IS_OPEN_SQL = f"d.status = '{OPEN}'"
"""Rule "the debt is open for payments, corrections and charges": SQL twin of
`domain.debt_status.debt_is_open` (tested to agree in tests/integration/billing/test_rules_in_sql.py)."""

STATUS_AFTER_WRITE_OFF_SQL = f"CASE WHEN d.balance_pence = 0 THEN '{WRITTEN_OFF}' ELSE d.status END"
"""Rule "a write-off that leaves nothing owed closes the debt as written off": SQL twin of
`domain.debt_status.status_after_write_off` (tested to agree in tests/integration/billing/test_rules_in_sql.py)."""

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


class _Accounts:
    """Reading debts found by one condition, and locking them first when they are about to change."""

    def __init__(self, condition: str) -> None:
        self.read = text(f"SELECT {_ACCOUNT_COLUMNS} FROM debt d {_LINES} WHERE {condition}")
        self.lock = text(f"SELECT d.debt_id FROM debt d WHERE {condition} ORDER BY d.debt_id FOR UPDATE")

    async def rows(self, session: AsyncSession, parameters: dict[str, Any], lock: bool) -> list[DebtAccount]:
        if lock:
            await session.execute(self.lock, parameters)
        return [_account(row) for row in await session.execute(self.read, parameters)]


_OF_CUSTOMER = _Accounts("d.debt_id IN (SELECT debt_id FROM debt_party WHERE customer_id = :customer_id)")
_OF_CUSTOMERS = _Accounts(
    "d.debt_id IN (SELECT debt_id FROM debt_party WHERE customer_id = ANY(CAST(:customer_ids AS uuid[])))"
)
_NAMED = _Accounts("d.debt_id = ANY(CAST(:debt_ids AS uuid[]))")
_OF_ACCOUNT = _Accounts("d.account_reference = :account_reference")
_BY_ITS_REFERENCE = _Accounts(
    "d.requesting_system = :requesting_system AND d.external_reference = :external_reference"
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
        INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference, rule)
        SELECT debt_id, kind, amount, posted_on, cause, rule
        FROM unnest(CAST(:debts AS uuid[]), CAST(:kinds AS text[]), CAST(:amounts AS bigint[]),
                    CAST(:dates AS date[]), CAST(:causes AS text[]), CAST(:rules AS text[]))
            AS p(debt_id, kind, amount, posted_on, cause, rule)
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

_ADD_LINE = text(
    "INSERT INTO debt_line (debt_id, number, kind, due_date, amount_pence, outstanding_pence) "
    "SELECT :debt_id, coalesce(max(number), 0) + 1, :kind, :due_date, :amount, :amount "
    "FROM debt_line WHERE debt_id = :debt_id RETURNING number"
)
_ALREADY_RAISED = text(
    "SELECT 1 FROM debt WHERE requesting_system = :system AND external_reference = :reference"
)
_INSERT_DEBT = text(
    "INSERT INTO debt (debt_id, requesting_system, external_reference, debt_type, amount_pence, "
    "financial_year, due_date, raised_on, originating_service, income_code, evidence_reference, "
    "account_reference, description, balance_pence, late_payment_under_contract) VALUES (:debt_id, :system, "
    ":reference, :debt_type, :amount, :year, :due_date, :raised_on, :service, :income_code, :evidence, :account, "
    ":description, :amount, :late_payment_under_contract)"
)
_INSERT_PARTIES = text(
    "INSERT INTO debt_party (debt_id, customer_id) SELECT :debt_id, unnest(CAST(:customers AS uuid[]))"
)
_INSERT_SCHEDULE = text(
    "INSERT INTO debt_line (debt_id, number, kind, due_date, amount_pence, outstanding_pence) "
    "SELECT :debt_id, n, 'instalment', d, a, a "
    "FROM unnest(CAST(:numbers AS int[]), CAST(:dates AS date[]), CAST(:amounts AS bigint[])) AS s(n, d, a)"
)
_INSERT_POSTING = text(
    "INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference) "
    "VALUES (:debt_id, :kind, :amount, :posted_on, :cause)"
)
_PAID = text(
    "SELECT coalesce(sum(amount_pence), 0) FROM posting "
    "WHERE debt_id = :debt_id AND kind = ANY(CAST(:kinds AS text[]))"
)
_CANCEL = text(
    "UPDATE debt SET status = 'cancelled', cancelled_on = :on, cancellation_reason = :reason "
    "WHERE debt_id = :debt_id"
)
# Increments, and the status from the balance the postings just left: a payment committed meanwhile by another
# transaction is neither lost nor overwritten.
_ADD_WRITTEN_OFF = text(
    "UPDATE debt d SET written_off_pence = d.written_off_pence + w.amount, "
    f"status = {STATUS_AFTER_WRITE_OFF_SQL} "
    "FROM unnest(CAST(:debts AS uuid[]), CAST(:amounts AS bigint[])) AS w(debt_id, amount) "
    "WHERE d.debt_id = w.debt_id"
)
_TAKE_OFF_WRITTEN_OFF = text(
    "UPDATE debt SET written_off_pence = written_off_pence - :amount, "
    "status = CASE WHEN CAST(:reopen AS boolean) THEN 'open' ELSE status END WHERE debt_id = :debt_id"
)
_POSTINGS_BY_KIND = text(
    "SELECT debt_id, kind, sum(amount_pence) AS total FROM posting "
    "WHERE debt_id = ANY(CAST(:ids AS uuid[])) GROUP BY debt_id, kind"
)
_FALLING_DUE = text(
    f"""
    UPDATE debt_line l SET fell_due_on = :as_of
    WHERE (l.debt_id, l.number) IN (
        SELECT due.debt_id, due.number FROM debt_line due JOIN debt d ON d.debt_id = due.debt_id
        WHERE due.kind = 'instalment' AND due.fell_due_on IS NULL AND due.due_date <= :as_of
          AND {DEBT_IS_OPEN_SQL}
        LIMIT :chunk)
    RETURNING l.debt_id, l.number, l.due_date, l.outstanding_pence
    """
)


@dataclass(frozen=True)
class FallenDue:
    """An instalment just marked as fallen due, with what is still owed on it."""

    debt_id: UUID
    number: int
    due_date: date
    outstanding_pence: Pence


def _account(row: Row[Any]) -> DebtAccount:
    lines = tuple(
        InstalmentPosition(n, d, o)
        for n, d, o in zip(row.numbers or [], row.due_dates or [], row.outstanding or [], strict=True)
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


class DebtStore:
    """Debts, their parties, lines and postings, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_customer(self, customer_id: UUID, *, lock: bool = True) -> list[DebtAccount]:
        """Every debt a customer is liable for (the single view of debt), locked for changing unless
        `lock=False` (enquiries only read)."""
        return await _OF_CUSTOMER.rows(self.session, {"customer_id": customer_id}, lock)

    async def of_customers(self, customer_ids: list[UUID]) -> list[DebtAccount]:
        """Every debt any of these customers is liable for, locked (a batch of payments loads them at once)."""
        return await _OF_CUSTOMERS.rows(self.session, {"customer_ids": customer_ids}, True)

    async def of_account(self, account_reference: str) -> list[DebtAccount]:
        """Every debt billed to an account (a council tax or rates account, a tenancy), locked to change."""
        return await _OF_ACCOUNT.rows(self.session, {"account_reference": account_reference}, lock=True)

    async def named(self, debt_ids: list[UUID], *, lock: bool = True) -> dict[UUID, DebtAccount]:
        """The named debts, by id (unknown ids are absent), locked for changing unless `lock=False`."""
        return {a.debt_id: a for a in await _NAMED.rows(self.session, {"debt_ids": debt_ids}, lock)}

    async def by_reference(self, requesting_system: str, external_reference: str) -> DebtAccount | None:
        """The debt a council system raised under its own reference, locked for changing."""
        found = await _BY_ITS_REFERENCE.rows(
            self.session,
            {"requesting_system": requesting_system, "external_reference": external_reference},
            True,
        )
        return found[0] if found else None

    async def already_raised(self, requesting_system: str, external_reference: str) -> bool:
        """Whether the council system already raised a debt under this reference."""
        found = await self.session.execute(
            _ALREADY_RAISED, {"system": requesting_system, "reference": external_reference}
        )
        return found.first() is not None

    async def record(
        self,
        raised: DebtRaised,
        *,
        requesting_system: str,
        schedule: list[Instalment],
        account: str | None,
        description: str | None,
        late_payment_under_contract: bool = False,
    ) -> None:
        """Write the debt, its liable customers, its lines and the charge posting. A second debt under the same
        external reference fails on the unique constraint, so a race never raises one twice.
        `late_payment_under_contract`: the charge's contract provides for late payment charges."""
        await self.session.execute(
            _INSERT_DEBT,
            {
                "debt_id": raised.debt_id,
                "system": requesting_system,
                "reference": raised.external_reference,
                "debt_type": raised.debt_type,
                "amount": raised.amount_pence,
                "year": raised.financial_year,
                "due_date": raised.due_date,
                "raised_on": raised.raised_on,
                "service": raised.originating_service,
                "income_code": raised.income_code,
                "evidence": raised.evidence_reference,
                "account": account,
                "description": description,
                "late_payment_under_contract": late_payment_under_contract,
            },
        )
        await self.session.execute(
            _INSERT_PARTIES, {"debt_id": raised.debt_id, "customers": list(raised.customer_ids)}
        )
        await self.session.execute(
            _INSERT_SCHEDULE,
            {
                "debt_id": raised.debt_id,
                "numbers": [i.number for i in schedule],
                "dates": [i.due_date for i in schedule],
                "amounts": [i.amount_pence for i in schedule],
            },
        )
        charge = DebtPosting(str(raised.debt_id), PostingKind.CHARGE, raised.amount_pence)
        await self.session.execute(
            _INSERT_POSTING,
            {
                "debt_id": raised.debt_id,
                "kind": charge.kind.value,
                "amount": charge.amount_pence,
                "posted_on": raised.raised_on,
                "cause": raised.external_reference,
            },
        )

    async def post(self, movements: list[Movement]) -> dict[UUID, Pence]:
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
        result = await self.session.execute(
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
                "rules": [m.rule for m in movements],
                "changes": [m.posting.signed_pence for m in movements],
            },
        )
        return {row.debt_id: row.balance_pence for row in result}

    async def add_line(self, debt_id: UUID, kind: str, due_date: date, amount_pence: Pence) -> int:
        """Add a line owed on the debt (costs, interest, a fee, a reinstated amount); returns its number. The
        posting that raises the balance is the caller's."""
        number: int = (
            await self.session.execute(
                _ADD_LINE, {"debt_id": debt_id, "kind": kind, "due_date": due_date, "amount": amount_pence}
            )
        ).scalar_one()
        return number

    async def paid_pence(self, debt_id: UUID, kinds: Iterable[PostingKind]) -> Pence:
        """The sum of the debt's postings of these kinds (what was paid into it)."""
        total: int = (
            await self.session.execute(_PAID, {"debt_id": debt_id, "kinds": [k.value for k in kinds]})
        ).scalar_one()
        return total

    async def mark_cancelled(self, debt_id: UUID, on: date, reason: str) -> None:
        """The debt is cancelled (its balance already taken off by a posting)."""
        await self.session.execute(_CANCEL, {"on": on, "reason": reason, "debt_id": debt_id})

    async def add_written_off(self, amounts: Mapping[UUID, Pence]) -> None:
        """Add written-off amounts; a debt the postings left at nil is closed as written off."""
        if amounts:
            await self.session.execute(
                _ADD_WRITTEN_OFF, {"debts": list(amounts), "amounts": list(amounts.values())}
            )

    async def _take_off_written_off(self, debt_id: UUID, amount_pence: Pence, reopen: bool) -> None:
        await self.session.execute(
            _TAKE_OFF_WRITTEN_OFF, {"amount": amount_pence, "debt_id": debt_id, "reopen": reopen}
        )

    async def reinstate(self, debt_id: UUID, amount_pence: Pence) -> None:
        """Take a reinstated amount off what is written off; the debt is open again."""
        await self._take_off_written_off(debt_id, amount_pence, reopen=True)

    async def write_back(self, debt_id: UUID, amount_pence: Pence) -> None:
        """Money recovered on a written-off debt: that much is no longer written off, and the write-off stands
        (the debt stays closed as written off, nothing is reinstated)."""
        await self._take_off_written_off(debt_id, amount_pence, reopen=False)

    async def postings_by_kind(self, debt_ids: list[UUID]) -> dict[UUID, dict[str, Pence]]:
        """Each debt's ledger summed by posting kind."""
        totals: dict[UUID, dict[str, Pence]] = {d: {} for d in debt_ids}
        for row in await self.session.execute(_POSTINGS_BY_KIND, {"ids": debt_ids}):
            totals[row.debt_id][row.kind] = int(row.total)
        return totals

    async def mark_falling_due(self, as_of: date, chunk: int) -> list[FallenDue]:
        """Mark up to `chunk` instalments of open debts due by `as_of` and not yet marked."""
        rows = await self.session.execute(_FALLING_DUE, {"as_of": as_of, "chunk": chunk})
        return [FallenDue(r.debt_id, r.number, r.due_date, r.outstanding_pence) for r in rows]
