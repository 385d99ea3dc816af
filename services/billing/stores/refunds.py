"""The refunds store: refunds due and their authorisation by a senior officer, and taxpayers' refund requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.money import Pence
from shared.persistence.stores import optional_row_as, rows_as

_REQUEST_SEEN = text(
    "SELECT 1 FROM refund_request WHERE requesting_system = :system AND request_reference = :reference"
)
_RECORD_REQUEST = text(
    "INSERT INTO refund_request (requesting_system, request_reference, account_reference, customer_id, "
    "requested_on, outcome, refund_id, amount_pence) VALUES (:system, :reference, :account, :customer_id, "
    ":requested_on, :outcome, :refund_id, :amount) ON CONFLICT DO NOTHING"
)
_ADD_REFUND = text(
    "INSERT INTO refund (refund_id, customer_id, payment_id, amount_pence, reason, created_on, request_reference, "
    "rule) VALUES (:refund_id, :customer_id, NULL, :amount, :reason, :on, :reference, :rule)"
)
_DUE = text(
    """
    SELECT r.refund_id, r.customer_id, c.identity, r.payment_id, r.amount_pence, r.reason, r.created_on,
           r.request_reference, r.rule
    FROM refund r LEFT JOIN customer c ON c.customer_id = r.customer_id
    WHERE r.status = 'due' ORDER BY r.created_on, r.refund_id LIMIT 500
    """
)
_FOR_AUTHORISATION = text(
    "SELECT refund_id, customer_id, amount_pence, reason, status, request_reference FROM refund "
    "WHERE refund_id = :refund_id FOR UPDATE"
)
_AUTHORISE = text(
    "UPDATE refund SET status = 'authorised', authorised_by = :by, authorised_on = :on WHERE refund_id = :refund_id"
)
_STANDING = text(
    "SELECT DISTINCT account_reference FROM refund_request "
    "WHERE account_reference = ANY(CAST(:accounts AS text[])) AND outcome <> 'refused'"
)


@dataclass(frozen=True)
class RefundWaiting:
    """A refund due, waiting for a senior officer to authorise it."""

    refund_id: UUID
    customer_id: UUID | None
    identity: Any
    payment_id: UUID | None
    amount_pence: int
    reason: str
    created_on: date
    request_reference: str | None
    rule: str | None


@dataclass(frozen=True)
class RefundToAuthorise:
    """A refund as an officer authorises it (locked meanwhile)."""

    refund_id: UUID
    customer_id: UUID | None
    amount_pence: int
    reason: str
    status: str
    request_reference: str | None


class RefundStore:
    """Refunds and refund requests, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def request_seen(self, requesting_system: str, request_reference: str) -> bool:
        """Whether this system already asked under this reference."""
        parameters = {"system": requesting_system, "reference": request_reference}
        return (await self.session.execute(_REQUEST_SEEN, parameters)).first() is not None

    async def record_request(
        self,
        requesting_system: str,
        request_reference: str,
        account_reference: str,
        customer_id: UUID | None,
        requested_on: date,
        outcome: str,
        refund_id: UUID | None,
        amount_pence: Pence,
    ) -> None:
        """Keep the taxpayer's request and how it was answered."""
        await self.session.execute(
            _RECORD_REQUEST,
            {
                "system": requesting_system,
                "reference": request_reference,
                "account": account_reference,
                "customer_id": customer_id,
                "requested_on": requested_on,
                "outcome": outcome,
                "refund_id": refund_id,
                "amount": amount_pence,
            },
        )

    async def add_refund(
        self,
        refund_id: UUID,
        customer_id: UUID | None,
        amount_pence: Pence,
        reason: str,
        on: date,
        request_reference: str | None,
        rule: str | None = None,
    ) -> None:
        """Record a refund due, for a senior officer to authorise, with the overpayment rule that decided it."""
        await self.session.execute(
            _ADD_REFUND,
            {
                "refund_id": refund_id,
                "customer_id": customer_id,
                "amount": amount_pence,
                "reason": reason,
                "on": on,
                "reference": request_reference,
                "rule": rule,
            },
        )

    async def due(self) -> list[RefundWaiting]:
        """Refunds waiting for authorisation, oldest first (at most 500)."""
        rows = await self.session.execute(_DUE)
        return rows_as(RefundWaiting, rows)

    async def for_authorisation(self, refund_id: UUID) -> RefundToAuthorise | None:
        """The refund, locked while it is authorised."""
        row = (await self.session.execute(_FOR_AUTHORISATION, {"refund_id": refund_id})).first()
        return optional_row_as(RefundToAuthorise, row)

    async def authorise(self, refund_id: UUID, authorised_by: str, on: date) -> None:
        """The refund is authorised for payment, by whom and when."""
        await self.session.execute(_AUTHORISE, {"refund_id": refund_id, "by": authorised_by, "on": on})

    async def accounts_repaid_on_request(self, account_references: list[str]) -> set[str]:
        """Which of these accounts have a taxpayer's standing request to repay overpayments."""
        if not account_references:
            return set()
        rows = await self.session.execute(_STANDING, {"accounts": account_references})
        return {row.account_reference for row in rows}
