"""The customer search and single-view store: reads only, for the officers' workbench.

A search is one statement: the query as a customer reference (any kind), as a debt's account reference or
invoice / PCN number, and as words of the name and addresses (each on its own index, in a UNION), the best way
each customer was found kept, customers merged away answered as the customer they were merged into.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.customer_search import SearchQuery, reference_search_keys
from shared.persistence.stores import optional_row_as, rows_as

T = TypeVar("T")

WORD_MATCHES_READ = 1000
"""Customers read for a query's words before the best are taken by name (a town's name matches thousands)."""

_SEARCH = text(
    r"""
    WITH found AS (
        SELECT customer_id, 0 AS rank, 'customer_id' AS found_by FROM customer
            WHERE customer_id = CAST(:customer_id AS uuid)
        UNION ALL
        SELECT customer_id, 1, 'reference' FROM customer WHERE reference_keys && CAST(:reference_keys AS text[])
        UNION ALL
        SELECT p.customer_id, 2, 'account_reference' FROM debt d JOIN debt_party p ON p.debt_id = d.debt_id
            WHERE d.account_reference = ANY(CAST(:as_typed AS text[]))
        UNION ALL
        SELECT p.customer_id, 2, 'invoice_reference' FROM debt d JOIN debt_party p ON p.debt_id = d.debt_id
            WHERE upper(regexp_replace(d.external_reference, '[\s-]+', '', 'g')) = :reference
        UNION ALL
        (SELECT customer_id, 3, 'words' FROM customer WHERE search_words @> CAST(:words AS text[])
            LIMIT :words_read)),
    best AS (
        SELECT DISTINCT ON (coalesce(c.merged_into, c.customer_id))
            coalesce(c.merged_into, c.customer_id) AS customer_id, f.rank, f.found_by
        FROM found f JOIN customer c ON c.customer_id = f.customer_id
        ORDER BY coalesce(c.merged_into, c.customer_id), f.rank)
    SELECT c.customer_id, c.identity, c.reference_keys, b.found_by
    FROM best b JOIN customer c ON c.customer_id = b.customer_id
    ORDER BY b.rank, upper(coalesce(c.identity->>'surname', c.identity->>'organisation_name', '')),
             upper(coalesce(c.identity->>'first_names', '')), c.customer_id
    LIMIT :limit
    """
)
_ACCOUNTS = text(
    """
    SELECT p.customer_id, d.debt_id, d.debt_type, coalesce(d.account_reference, d.external_reference) AS reference,
           d.financial_year, d.balance_pence, d.status
    FROM debt_party p JOIN debt d ON d.debt_id = p.debt_id
    WHERE p.customer_id = ANY(CAST(:customer_ids AS uuid[]))
    ORDER BY p.customer_id, d.raised_on DESC, d.debt_id
    """
)
_CUSTOMER = text("SELECT customer_id, identity, merged_into FROM customer WHERE customer_id = :customer_id")
_DEBTS = text(
    """
    SELECT d.debt_id, d.debt_type, d.requesting_system, d.originating_service, d.external_reference,
           d.account_reference, d.description, d.financial_year, d.raised_on, d.due_date, d.income_code,
           d.amount_pence, d.balance_pence, d.written_off_pence, d.status, d.cancelled_on, d.cancellation_reason,
           (SELECT array_agg(o.customer_id ORDER BY o.customer_id) FROM debt_party o
            WHERE o.debt_id = d.debt_id AND o.customer_id <> :customer_id) AS other_liable_customers
    FROM debt d
    WHERE d.debt_id IN (SELECT debt_id FROM debt_party WHERE customer_id = :customer_id)
    ORDER BY d.raised_on, d.debt_id
    """
)
_LINES = text(
    """
    SELECT l.debt_id, l.number, l.kind, l.due_date, l.amount_pence, l.outstanding_pence, l.fell_due_on,
           p.late_payment_basis,
           CASE WHEN l.kind = 'interest' THEN p.annual_interest_percent END AS annual_interest_percent, p.reference_day,
           p.base_rate_percent, p.fixed_sum_band
    FROM debt_line l
    LEFT JOIN posting p ON p.debt_id = l.debt_id AND p.line_number = l.number AND p.late_payment_basis IS NOT NULL
    WHERE l.debt_id = ANY(CAST(:debt_ids AS uuid[])) ORDER BY l.debt_id, l.number
    """
)
_PAYMENTS = text(
    """
    SELECT payment_id, channel, channel_reference, amount_pence, received_on, status, unallocated_pence,
           debt_id AS held_on_debt_id
    FROM payment
    WHERE customer_id = :customer_id OR debt_id = ANY(CAST(:debt_ids AS uuid[]))
       OR payment_id IN (SELECT payment_id FROM allocation WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])))
    ORDER BY received_on, payment_id
    """
)
_ALLOCATIONS = text(
    "SELECT payment_id, debt_id, line_number, amount_pence, basis, breathing_space FROM allocation "
    "WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) ORDER BY payment_id, debt_id, line_number"
)
_CREDIT_NOTES = text(
    "SELECT debt_id, credit_note_reference, amount_pence, correction, reason, issued_on FROM credit_note "
    "WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) ORDER BY issued_on, credit_note_reference"
)
_HOLDS = text(
    "SELECT debt_id, moratorium_reference, starts_on, ends_on, confirmed FROM breathing_space_hold "
    "WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) ORDER BY starts_on, moratorium_reference"
)
_WRITE_OFFS = text(
    "SELECT debt_id, write_off_id, approved_pence, posted_pence, income_code, reason_code, approved_by, "
    "written_off_on, reinstated_pence FROM write_off WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) "
    "ORDER BY written_off_on, write_off_id"
)
_REFUNDS = text(
    "SELECT refund_id, payment_id, amount_pence, reason, status, created_on, rule FROM refund "
    "WHERE customer_id = :customer_id ORDER BY created_on, refund_id"
)


@dataclass(frozen=True)
class FoundCustomer:
    """A customer a search found, with how (`found_by`: customer_id, reference, account_reference,
    invoice_reference or words)."""

    customer_id: UUID
    identity: Any
    reference_keys: list[str]
    found_by: str


@dataclass(frozen=True)
class AccountLine:
    """One of a found customer's debts, as a search result shows it."""

    customer_id: UUID
    debt_id: UUID
    debt_type: str
    reference: str
    financial_year: str
    balance_pence: int
    status: str


@dataclass(frozen=True)
class CustomerRow:
    """A customer as stored."""

    customer_id: UUID
    identity: Any
    merged_into: UUID | None


@dataclass(frozen=True)
class DebtRow:
    """A debt as the single view shows it."""

    debt_id: UUID
    debt_type: str
    requesting_system: str
    originating_service: str
    external_reference: str
    account_reference: str | None
    description: str | None
    financial_year: str
    raised_on: date
    due_date: date
    income_code: str
    amount_pence: int
    balance_pence: int
    written_off_pence: int
    status: str
    cancelled_on: date | None
    cancellation_reason: str | None
    other_liable_customers: list[UUID] | None


@dataclass(frozen=True)
class LineRow:
    """An instalment, or costs, interest, a fee or a reinstated amount added to a debt; interest and a fee with
    the basis its posting was charged on (issue 19; none on other lines or charges from before)."""

    debt_id: UUID
    number: int
    kind: str
    due_date: date
    amount_pence: int
    outstanding_pence: int
    fell_due_on: date | None
    late_payment_basis: str | None = None
    annual_interest_percent: Decimal | None = None
    reference_day: date | None = None
    base_rate_percent: Decimal | None = None
    fixed_sum_band: str | None = None


@dataclass(frozen=True)
class PaymentRow:
    """A payment the customer made (or that reached their debts)."""

    payment_id: UUID
    channel: str
    channel_reference: str
    amount_pence: int
    received_on: date
    status: str
    unallocated_pence: int
    held_on_debt_id: UUID | None


@dataclass(frozen=True)
class AllocationRow:
    """Part of a payment applied to one line of a debt, and why there."""

    payment_id: UUID
    debt_id: UUID
    line_number: int
    amount_pence: int
    basis: str
    breathing_space: str | None = None


@dataclass(frozen=True)
class CreditNoteRow:
    """A credit note issued against a debt."""

    debt_id: UUID
    credit_note_reference: str
    amount_pence: int
    correction: str
    reason: str
    issued_on: date


@dataclass(frozen=True)
class HoldRow:
    """A breathing space hold on a debt."""

    debt_id: UUID
    moratorium_reference: str
    starts_on: date
    ends_on: date | None
    confirmed: bool


@dataclass(frozen=True)
class WriteOffRow:
    """A write-off posted against a debt."""

    debt_id: UUID
    write_off_id: UUID
    approved_pence: int
    posted_pence: int
    income_code: str
    reason_code: str
    approved_by: str
    written_off_on: date
    reinstated_pence: int


@dataclass(frozen=True)
class RefundRow:
    """Money owed back to the customer."""

    refund_id: UUID
    payment_id: UUID | None
    amount_pence: int
    reason: str
    status: str
    created_on: date
    rule: str | None


@dataclass(frozen=True)
class DebtParts:
    """Everything recorded against a customer's debts, each keyed by debt id (payments and refunds by customer)."""

    lines: dict[UUID, list[LineRow]]
    payments: list[PaymentRow]
    allocations: list[AllocationRow]
    credit_notes: dict[UUID, list[CreditNoteRow]]
    holds: dict[UUID, list[HoldRow]]
    write_offs: dict[UUID, list[WriteOffRow]]
    refunds: list[RefundRow]


def _by_debt(rows: list[Any]) -> dict[UUID, list[Any]]:
    grouped: dict[UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.debt_id].append(row)
    return grouped


class CustomerViewStore:
    """Customer search and the single view, in one (read-only) transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(self, query: SearchQuery, customer_id: UUID | None, limit: int) -> list[FoundCustomer]:
        """The customers the query finds, best found first (a reference before words), then by name."""
        rows = await self.session.execute(
            _SEARCH,
            {
                "customer_id": customer_id,
                "reference_keys": reference_search_keys(query.text),
                "as_typed": sorted({query.text, query.text.upper(), query.reference}),
                "reference": query.reference,
                "words": list(query.words) or None,
                "words_read": WORD_MATCHES_READ,
                "limit": limit,
            },
        )
        return rows_as(FoundCustomer, rows)

    async def accounts(self, customer_ids: list[UUID]) -> dict[UUID, list[AccountLine]]:
        """Each customer's debts, newest first."""
        found: dict[UUID, list[AccountLine]] = defaultdict(list)
        rows = await self.session.execute(_ACCOUNTS, {"customer_ids": customer_ids})
        for account in rows_as(AccountLine, rows):
            found[account.customer_id].append(account)
        return found

    async def customer(self, customer_id: UUID) -> CustomerRow | None:
        """The customer, if billing holds them."""
        row = (await self.session.execute(_CUSTOMER, {"customer_id": customer_id})).first()
        return optional_row_as(CustomerRow, row)

    async def _read(self, record: type[T], statement: TextClause, parameters: dict[str, Any]) -> list[T]:
        rows = await self.session.execute(statement, parameters)
        return rows_as(record, rows)

    async def debts(self, customer_id: UUID) -> list[DebtRow]:
        """Every debt the customer is liable for, oldest first."""
        return await self._read(DebtRow, _DEBTS, {"customer_id": customer_id})

    async def parts(self, customer_id: UUID, debt_ids: list[UUID]) -> DebtParts:
        """The lines, payments, allocations, credit notes, holds, write-offs and refunds of a customer's debts."""
        by_debts: dict[str, Any] = {"debt_ids": debt_ids}
        both = {"customer_id": customer_id, "debt_ids": debt_ids}
        return DebtParts(
            lines=_by_debt(await self._read(LineRow, _LINES, by_debts)),
            payments=await self._read(PaymentRow, _PAYMENTS, both),
            allocations=await self._read(AllocationRow, _ALLOCATIONS, by_debts),
            credit_notes=_by_debt(await self._read(CreditNoteRow, _CREDIT_NOTES, by_debts)),
            holds=_by_debt(await self._read(HoldRow, _HOLDS, by_debts)),
            write_offs=_by_debt(await self._read(WriteOffRow, _WRITE_OFFS, by_debts)),
            refunds=await self._read(RefundRow, _REFUNDS, {"customer_id": customer_id}),
        )
