"""Reinstatements (`writeoff.reinstatement`) of write-offs after a payment, the write-off they reverse, and
payments put for an officer's consideration instead (`writeoff.payment_for_consideration`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class StandingWriteOff:
    """A write-off not yet reinstated."""

    write_off_id: UUID
    debt_id: UUID
    customer_id: str
    council: str
    income_code: str
    amount_pence: int
    written_off_on: date
    schedule_id: UUID
    reason_code: str = ""


@dataclass(frozen=True, slots=True)
class RecordedReinstatement:
    """A payment that reinstated a write-off, and how it was split."""

    payment_id: UUID
    write_off_id: UUID
    debt_id: UUID
    payment_pence: int
    reinstated_pence: int
    unpaid_remainder_pence: int
    surplus_pence: int
    received_on: date


@dataclass(frozen=True, slots=True)
class RecordedConsideration:
    """A payment on a debt that can no longer lawfully be enforced, awaiting an officer's consideration."""

    payment_id: UUID
    write_off_id: UUID
    debt_id: UUID
    council: str
    reason_code: str
    payment_pence: int
    received_on: date
    referred_to_role: str | None


@dataclass(frozen=True, slots=True)
class HeldPayment:
    """A payment put for consideration, with the write-off it arrived on and whether it has been decided."""

    consideration: RecordedConsideration
    write_off: StandingWriteOff
    considered: bool


def _consideration(row: Any) -> RecordedConsideration:
    return RecordedConsideration(
        payment_id=row.payment_id,
        write_off_id=row.write_off_id,
        debt_id=row.debt_id,
        council=row.council,
        reason_code=row.reason_code,
        payment_pence=row.payment_pence,
        received_on=row.received_on,
        referred_to_role=row.referred_to_role,
    )


def _write_off(row: Any, reason_code: str) -> StandingWriteOff:
    return StandingWriteOff(
        write_off_id=row.write_off_id,
        debt_id=row.debt_id,
        customer_id=row.customer_id,
        council=row.council,
        income_code=row.income_code,
        amount_pence=row.amount_pence,
        written_off_on=row.written_off_on,
        schedule_id=row.schedule_id,
        reason_code=reason_code,
    )


class ReinstatementStore:
    """Reinstatements and the standing write-offs they reverse."""

    _ALREADY = text(
        "SELECT 1 FROM writeoff.reinstatement WHERE payment_id = :payment_id "
        "UNION ALL SELECT 1 FROM writeoff.payment_for_consideration WHERE payment_id = :payment_id"
    )
    _STANDING_WRITE_OFF = text(
        """
        SELECT write_off_id, debt_id, customer_id, council, income_code, amount_pence, written_off_on, schedule_id,
            reason_code
        FROM writeoff.write_off
        WHERE debt_id = :debt_id AND reinstated_pence = 0
        ORDER BY written_off_on DESC, write_off_id
        LIMIT 1 FOR UPDATE
        """
    )
    _REINSTATED = text(
        "UPDATE writeoff.write_off SET reinstated_pence = :reinstated WHERE write_off_id = :write_off_id"
    )
    _RECORD = text(
        """
        INSERT INTO writeoff.reinstatement (payment_id, write_off_id, debt_id, payment_pence, reinstated_pence,
            unpaid_remainder_pence, surplus_pence, received_on)
        VALUES (:payment_id, :write_off_id, :debt_id, :payment, :reinstated, :remainder, :surplus, :received_on)
        """
    )

    _PUT_FOR_CONSIDERATION = text(
        """
        INSERT INTO writeoff.payment_for_consideration (payment_id, write_off_id, debt_id, council, reason_code,
            payment_pence, received_on, referred_to_role)
        VALUES (:payment_id, :write_off_id, :debt_id, :council, :reason_code, :payment, :received_on, :role)
        """
    )
    _AWAITING_CONSIDERATION = text(
        """
        SELECT payment_id, write_off_id, debt_id, council, reason_code, payment_pence, received_on,
            referred_to_role
        FROM writeoff.payment_for_consideration
        WHERE council = :council AND considered_at IS NULL
        ORDER BY received_on, payment_id
        """
    )

    _HELD_PAYMENT = text(
        """
        SELECT p.payment_id, p.write_off_id, p.debt_id, p.council, p.reason_code, p.payment_pence, p.received_on,
            p.referred_to_role, p.considered_at IS NOT NULL AS considered,
            w.customer_id, w.income_code, w.amount_pence, w.written_off_on, w.schedule_id,
            w.reason_code AS write_off_reason
        FROM writeoff.payment_for_consideration p JOIN writeoff.write_off w USING (write_off_id)
        WHERE p.payment_id = :payment_id
        FOR UPDATE OF p, w
        """
    )
    _CONSIDERED = text(
        """
        UPDATE writeoff.payment_for_consideration
        SET considered_at = :at, outcome = :outcome, decision_reason = :reason, decided_by = :by,
            decided_by_name = :by_name
        WHERE payment_id = :payment_id AND considered_at IS NULL
        """
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def held_payment(self, payment_id: UUID) -> HeldPayment | None:
        """A payment put for consideration and its write-off (both locked until the transaction ends)."""
        row = (await self.session.execute(self._HELD_PAYMENT, {"payment_id": payment_id})).first()
        if row is None:
            return None
        return HeldPayment(
            _consideration(row), _write_off(row, row.write_off_reason), considered=row.considered
        )

    async def considered(
        self, payment_id: UUID, outcome: str, reason: str, by: str, by_name: str, at: datetime
    ) -> None:
        """Record the officer's decision on a held payment."""
        await self.session.execute(
            self._CONSIDERED,
            {
                "payment_id": payment_id,
                "outcome": outcome,
                "reason": reason,
                "by": by,
                "by_name": by_name,
                "at": at,
            },
        )

    async def payment_already_applied(self, payment_id: UUID) -> bool:
        """True when this payment has already reinstated a write-off."""
        return (await self.session.execute(self._ALREADY, {"payment_id": payment_id})).first() is not None

    async def standing_write_off(self, debt_id: UUID) -> StandingWriteOff | None:
        """The debt's latest write-off not yet reinstated (locked), or None."""
        row = (await self.session.execute(self._STANDING_WRITE_OFF, {"debt_id": debt_id})).first()
        if row is None:
            return None
        return _write_off(row, row.reason_code)

    async def record(self, reinstatement: RecordedReinstatement) -> None:
        """Mark the write-off reinstated and keep the reinstatement."""
        await self.session.execute(
            self._REINSTATED,
            {"reinstated": reinstatement.reinstated_pence, "write_off_id": reinstatement.write_off_id},
        )
        await self.session.execute(
            self._RECORD,
            {
                "payment_id": reinstatement.payment_id,
                "write_off_id": reinstatement.write_off_id,
                "debt_id": reinstatement.debt_id,
                "payment": reinstatement.payment_pence,
                "reinstated": reinstatement.reinstated_pence,
                "remainder": reinstatement.unpaid_remainder_pence,
                "surplus": reinstatement.surplus_pence,
                "received_on": reinstatement.received_on,
            },
        )

    async def put_for_consideration(self, consideration: RecordedConsideration) -> None:
        """Keep a payment for an officer's consideration; the write-off stands."""
        await self.session.execute(
            self._PUT_FOR_CONSIDERATION,
            {
                "payment_id": consideration.payment_id,
                "write_off_id": consideration.write_off_id,
                "debt_id": consideration.debt_id,
                "council": consideration.council,
                "reason_code": consideration.reason_code,
                "payment": consideration.payment_pence,
                "received_on": consideration.received_on,
                "role": consideration.referred_to_role,
            },
        )

    async def awaiting_consideration(self, council: str) -> list[RecordedConsideration]:
        """The council's payments on unenforceable written-off debts not yet considered, oldest first."""
        rows = (await self.session.execute(self._AWAITING_CONSIDERATION, {"council": council})).all()
        return [_consideration(row) for row in rows]
