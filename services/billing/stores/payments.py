"""The payments store: payments applied once per channel reference, their allocations, held payments and
refunds. A batch of payments is identified in one statement and written in one statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.payment_book import AllocationRow, IncomingPayment, PaymentBatch, RefundRecord
from shared.money import Pence
from shared.persistence.stores import rows_as

SURPLUS = "surplus after every debt was paid"
"""Why most refunds are due: the customer owes the council nothing else (Derby 11)."""

_IDENTIFY = text(
    """
    SELECT p.position,
        EXISTS (SELECT 1 FROM payment x WHERE x.channel = p.channel AND x.channel_reference = p.reference) AS seen,
        coalesce(
            (SELECT coalesce(c.merged_into, c.customer_id) FROM customer c WHERE c.customer_id = p.customer_id),
            (SELECT dp.customer_id FROM debt_party dp WHERE dp.debt_id = p.debt_id ORDER BY dp.customer_id LIMIT 1),
            (SELECT dp.customer_id FROM debt d JOIN debt_party dp ON dp.debt_id = d.debt_id
             WHERE p.account IS NOT NULL AND (d.account_reference = p.account OR d.external_reference = p.account)
             ORDER BY d.raised_on DESC, dp.customer_id LIMIT 1)
        ) AS customer_id
    FROM unnest(CAST(:positions AS int[]), CAST(:channels AS text[]), CAST(:references AS text[]),
                CAST(:customers AS uuid[]), CAST(:debts AS uuid[]), CAST(:accounts AS text[]))
        AS p(position, channel, reference, customer_id, debt_id, account)
    """
)

_RECORD = text(
    """
    WITH paid AS (
        INSERT INTO payment (payment_id, channel, channel_reference, amount_pence, received_on, customer_id,
                             debt_id, account_reference, status, unallocated_pence)
        SELECT * FROM unnest(CAST(:p_ids AS uuid[]), CAST(:p_channels AS text[]), CAST(:p_references AS text[]),
            CAST(:p_amounts AS bigint[]), CAST(:p_dates AS date[]), CAST(:p_customers AS uuid[]),
            CAST(:p_debts AS uuid[]), CAST(:p_accounts AS text[]), CAST(:p_statuses AS text[]),
            CAST(:p_unallocated AS bigint[]))
        RETURNING payment_id),
    allocated AS (
        INSERT INTO allocation (payment_id, debt_id, line_number, amount_pence, basis, breathing_space)
        SELECT * FROM unnest(CAST(:a_payments AS uuid[]), CAST(:a_debts AS uuid[]), CAST(:a_lines AS int[]),
            CAST(:a_amounts AS bigint[]), CAST(:a_bases AS text[]), CAST(:a_breathing_space AS text[]))
        RETURNING payment_id),
    lines AS (
        UPDATE debt_line l SET outstanding_pence = l.outstanding_pence - c.paid
        FROM (SELECT debt_id, line_number, sum(amount) AS paid
              FROM unnest(CAST(:a_debts AS uuid[]), CAST(:a_lines AS int[]), CAST(:a_amounts AS bigint[]))
                  AS a(debt_id, line_number, amount)
              GROUP BY debt_id, line_number) c
        WHERE l.debt_id = c.debt_id AND l.number = c.line_number RETURNING l.debt_id),
    posted AS (
        INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference)
        SELECT debt_id, 'payment', amount, posted_on, cause
        FROM unnest(CAST(:t_debts AS uuid[]), CAST(:t_amounts AS bigint[]), CAST(:t_dates AS date[]),
                    CAST(:t_causes AS text[])) AS t(debt_id, amount, posted_on, cause)
        RETURNING debt_id),
    moved AS (
        UPDATE debt d SET balance_pence = d.balance_pence - m.paid
        FROM (SELECT debt_id, sum(amount) AS paid
              FROM unnest(CAST(:t_debts AS uuid[]), CAST(:t_amounts AS bigint[])) AS t(debt_id, amount)
              GROUP BY debt_id) m
        WHERE d.debt_id = m.debt_id RETURNING d.debt_id),
    refunded AS (
        INSERT INTO refund (refund_id, customer_id, payment_id, amount_pence, reason, created_on, rule)
        SELECT id, customer_id, payment_id, amount, CAST(:surplus AS text), created_on, rule
        FROM unnest(CAST(:r_ids AS uuid[]), CAST(:r_customers AS uuid[]), CAST(:r_payments AS uuid[]),
                    CAST(:r_amounts AS bigint[]), CAST(:r_dates AS date[]), CAST(:r_rules AS text[]))
            AS r(id, customer_id, payment_id, amount, created_on, rule)
        RETURNING refund_id)
    SELECT (SELECT count(*) FROM paid) AS payments, (SELECT count(*) FROM lines) AS lines,
           (SELECT count(*) FROM moved) AS debts
    """
)

_REFUND = text(
    "INSERT INTO refund (refund_id, customer_id, payment_id, amount_pence, reason, created_on, rule) "
    "VALUES (:id, :customer_id, :payment_id, :amount, :reason, :on, :rule)"
)


def _taking_held(which: str) -> TextClause:
    """The statement taking the payments held on a written-off debt that `which` picks: each given `:status`
    and returned for the caller to apply (the three takings below differ only in `which`)."""
    return text(
        f"UPDATE payment SET status = :status WHERE {which} AND status = 'held_on_written_off_debt' "
        "RETURNING payment_id, customer_id, channel, channel_reference, amount_pence, received_on"
    )


_TAKE_HELD = _taking_held("debt_id = :debt_id")
_TAKE_NAMED_HELD = _taking_held(
    "debt_id = :debt_id AND (payment_id = :payment_id OR payment_id IN (SELECT c.payment_id FROM "
    "considered_payment c WHERE c.debt_id = :debt_id AND c.outcome = 'reinstated'))"
)
_TAKE_ONE_HELD = _taking_held("payment_id = :payment_id AND debt_id = :debt_id")
_ALLOCATE = text(
    "INSERT INTO allocation (payment_id, debt_id, line_number, amount_pence, basis, breathing_space) "
    "SELECT :payment_id, d, n, a, b, s FROM unnest(CAST(:debts AS uuid[]), CAST(:lines AS int[]), "
    "CAST(:amounts AS bigint[]), CAST(:bases AS text[]), CAST(:shares AS text[])) AS x(d, n, a, b, s)"
)
_UNALLOCATED = text("UPDATE payment SET unallocated_pence = :left WHERE payment_id = :id")
_REFUNDS_DUE = text(
    "SELECT coalesce(sum(amount_pence), 0) FROM refund WHERE customer_id = :customer_id AND status = 'due'"
)


@dataclass(frozen=True)
class IdentifiedPayment:
    """A payment of a batch as the database knows it: already applied or not, and whose it is."""

    seen: bool
    customer_id: UUID | None


@dataclass(frozen=True)
class HeldPayment:
    """A payment held on a written-off debt, now released to be applied."""

    payment_id: UUID
    customer_id: UUID | None
    channel: str
    channel_reference: str
    amount_pence: Pence
    received_on: date


class PaymentStore:
    """Payments, allocations and refunds, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def identify(self, payments: list[IncomingPayment]) -> list[IdentifiedPayment]:
        """For each payment in order: whether its channel reference was already applied, and its customer
        (named, else the placed or directed debt's, else the account paid into's)."""
        rows = await self.session.execute(
            _IDENTIFY,
            {
                "positions": list(range(len(payments))),
                "channels": [p.channel for p in payments],
                "references": [p.channel_reference for p in payments],
                "customers": [p.customer_id for p in payments],
                "debts": [p.directed_to[0] if p.directed_to else p.debt_id for p in payments],
                "accounts": [p.account_reference for p in payments],
            },
        )
        found = {row.position: IdentifiedPayment(row.seen, row.customer_id) for row in rows}
        return [found[position] for position in range(len(payments))]

    async def record_batch(self, batch: PaymentBatch) -> None:
        """Write a batch's payments, allocations, lines, postings, balances and refunds in one statement."""
        if not batch.payments:
            return
        payments, allocations, paid, refunds = (
            batch.payments,
            batch.allocations,
            batch.debts_paid,
            batch.refunds,
        )
        await self.session.execute(
            _RECORD,
            {
                "p_ids": [p.payment_id for p in payments],
                "p_channels": [p.payment.channel for p in payments],
                "p_references": [p.payment.channel_reference for p in payments],
                "p_amounts": [p.payment.amount_pence for p in payments],
                "p_dates": [p.payment.received_on for p in payments],
                "p_customers": [p.customer_id for p in payments],
                "p_debts": [p.debt_id for p in payments],
                "p_accounts": [p.payment.account_reference for p in payments],
                "p_statuses": [p.status for p in payments],
                "p_unallocated": [p.unallocated_pence for p in payments],
                "a_payments": [a.payment_id for a in allocations],
                "a_debts": [a.allocation.debt_id for a in allocations],
                "a_lines": [a.allocation.line_number for a in allocations],
                "a_amounts": [a.allocation.amount_pence for a in allocations],
                "a_bases": [a.allocation.basis for a in allocations],
                "a_breathing_space": [a.allocation.breathing_space for a in allocations],
                "t_debts": [t.debt_id for t in paid],
                "t_amounts": [t.amount_pence for t in paid],
                "t_dates": [t.posted_on for t in paid],
                "t_causes": [str(t.payment_id) for t in paid],
                "r_ids": [r.refund_id for r in refunds],
                "r_customers": [r.customer_id for r in refunds],
                "r_payments": [r.payment_id for r in refunds],
                "r_amounts": [r.amount_pence for r in refunds],
                "r_dates": [r.created_on for r in refunds],
                "r_rules": [r.rule for r in refunds],
                "surplus": SURPLUS,
            },
        )

    async def add_refund(self, refund: RefundRecord, reason: str = SURPLUS) -> None:
        """Record one refund due, and why."""
        await self.session.execute(
            _REFUND,
            {
                "id": refund.refund_id,
                "customer_id": refund.customer_id,
                "payment_id": refund.payment_id,
                "amount": refund.amount_pence,
                "reason": reason,
                "on": refund.created_on,
                "rule": refund.rule,
            },
        )

    async def release_held(self, debt_id: UUID, payment_id: UUID | None = None) -> list[HeldPayment]:
        """The payments held on a written-off debt that a reinstatement releases, now marked allocated for the
        caller to apply: the payment it names and any the write-off officer decided reinstated; the others stay
        held (one still awaiting the officer's decision on it among them). A reinstatement naming no payment
        releases every payment held on the debt, as before payments for consideration."""
        if payment_id is None:
            rows = await self.session.execute(_TAKE_HELD, {"debt_id": debt_id, "status": "allocated"})
        else:
            rows = await self.session.execute(
                _TAKE_NAMED_HELD, {"debt_id": debt_id, "payment_id": payment_id, "status": "allocated"}
            )
        return rows_as(HeldPayment, rows)

    async def take_held_payment(self, payment_id: UUID, debt_id: UUID, status: str) -> HeldPayment | None:
        """One payment held on the written-off debt, now given `status` for the caller to apply (None: it is
        not held there, or no longer)."""
        rows = await self.session.execute(
            _TAKE_ONE_HELD, {"payment_id": payment_id, "debt_id": debt_id, "status": status}
        )
        taken = rows_as(HeldPayment, rows)
        return taken[0] if taken else None

    async def allocate(self, payment_id: UUID, rows: list[AllocationRow], unallocated_pence: Pence) -> None:
        """Record where one payment went, and what of it was left."""
        await self.session.execute(
            _ALLOCATE,
            {
                "payment_id": payment_id,
                "debts": [r.debt_id for r in rows],
                "lines": [r.line_number for r in rows],
                "amounts": [r.amount_pence for r in rows],
                "bases": [r.basis for r in rows],
                "shares": [r.breathing_space for r in rows],
            },
        )
        await self.session.execute(_UNALLOCATED, {"left": unallocated_pence, "id": payment_id})

    async def refunds_due_pence(self, customer_id: UUID) -> Pence:
        """What the council owes the customer back, not yet paid."""
        total: int = (await self.session.execute(_REFUNDS_DUE, {"customer_id": customer_id})).scalar_one()
        return int(total)
