"""The counter payments store: each receipt an officer recorded, who recorded it, and the payment it became."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_CLAIM = text(
    """
    INSERT INTO counter_payment (receipt_reference, method, amount_pence, customer_id, directed_to, received_on,
                                 recorded_by)
    VALUES (:receipt, :method, :amount, :customer_id, CAST(:directed_to AS uuid[]), :on, :by)
    ON CONFLICT (receipt_reference) DO NOTHING
    RETURNING receipt_reference
    """
)
_LINK = text("UPDATE counter_payment SET payment_id = :payment_id WHERE receipt_reference = :receipt")
_RECORDED = text(
    """
    SELECT c.receipt_reference, c.method, c.amount_pence, c.customer_id, c.directed_to, c.received_on,
           c.recorded_by, c.recorded_at, p.payment_id, p.status, p.unallocated_pence
    FROM counter_payment c LEFT JOIN payment p ON p.payment_id = c.payment_id
    WHERE c.receipt_reference = :receipt
    """
)
_PAYMENT = text("SELECT payment_id FROM payment WHERE channel = :channel AND channel_reference = :reference")
_ALLOCATED = text(
    "SELECT debt_id, sum(amount_pence)::bigint AS amount_pence FROM allocation WHERE payment_id = :payment_id "
    "GROUP BY debt_id ORDER BY debt_id"
)


@dataclass(frozen=True)
class RecordedCounterPayment:
    """A counter receipt as recorded, and what billing made of the payment."""

    receipt_reference: str
    method: str
    amount_pence: int
    customer_id: UUID
    directed_to: list[UUID]
    received_on: date
    recorded_by: str
    recorded_at: datetime
    payment_id: UUID | None
    status: str | None
    unallocated_pence: int | None


class CounterPaymentStore:
    """Counter receipts, in the transaction that posts their payment."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self,
        receipt: str,
        method: str,
        amount_pence: int,
        customer_id: UUID,
        directed_to: tuple[UUID, ...],
        on: date,
        by: str,
    ) -> bool:
        """Record the receipt unless it is recorded already (then False). A second officer recording the same
        receipt at once waits here for the first's transaction, then finds it recorded."""
        claimed = await self.session.execute(
            _CLAIM,
            {
                "receipt": receipt,
                "method": method,
                "amount": amount_pence,
                "customer_id": customer_id,
                "directed_to": [str(d) for d in directed_to],
                "on": on,
                "by": by,
            },
        )
        return claimed.first() is not None

    async def link(self, receipt: str, channel: str) -> UUID | None:
        """Tie the receipt to the payment billing posted for it (channel and receipt as channel reference)."""
        payment_id: UUID | None = (
            await self.session.execute(_PAYMENT, {"channel": channel, "reference": receipt})
        ).scalar_one_or_none()
        await self.session.execute(_LINK, {"payment_id": payment_id, "receipt": receipt})
        return payment_id

    async def recorded(self, receipt: str) -> RecordedCounterPayment | None:
        """The receipt as recorded, with its payment's status and what was left unallocated."""
        row = (await self.session.execute(_RECORDED, {"receipt": receipt})).first()
        return RecordedCounterPayment(**row._mapping) if row else None

    async def allocated(self, payment_id: UUID) -> list[tuple[UUID, int]]:
        """What the payment paid off each debt."""
        rows = await self.session.execute(_ALLOCATED, {"payment_id": payment_id})
        return [(row.debt_id, row.amount_pence) for row in rows]
