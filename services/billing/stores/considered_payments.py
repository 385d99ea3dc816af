"""The considered-payments store: each write-off officer's decision on a payment held for consideration, kept
once with who decided, the rule billing applied and what it moved (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.money import Pence

_RECORD = text(
    "INSERT INTO considered_payment (payment_id, write_off_id, debt_id, outcome, reason, decided_by, decided_on, "
    "rule, recovered_pence, overpaid_pence, refunded_pence) VALUES (:payment_id, :write_off_id, :debt_id, "
    ":outcome, :reason, :decided_by, :decided_on, :rule, :recovered, :overpaid, :refunded) "
    "ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id"
)


@dataclass(frozen=True)
class RecordedDecision:
    """An officer's decision on a held payment as billing applied it."""

    payment_id: UUID
    write_off_id: UUID
    debt_id: UUID
    outcome: str
    reason: str
    decided_by: str
    decided_on: date
    rule: str
    recovered_pence: Pence
    overpaid_pence: Pence
    refunded_pence: Pence


class ConsideredPaymentStore:
    """Decisions on payments for consideration, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, decision: RecordedDecision) -> bool:
        """Keep the decision; False when this payment's decision was recorded before (nothing is applied
        twice)."""
        rows = await self.session.execute(
            _RECORD,
            {
                "payment_id": decision.payment_id,
                "write_off_id": decision.write_off_id,
                "debt_id": decision.debt_id,
                "outcome": decision.outcome,
                "reason": decision.reason,
                "decided_by": decision.decided_by,
                "decided_on": decision.decided_on,
                "rule": decision.rule,
                "recovered": decision.recovered_pence,
                "overpaid": decision.overpaid_pence,
                "refunded": decision.refunded_pence,
            },
        )
        return rows.first() is not None
