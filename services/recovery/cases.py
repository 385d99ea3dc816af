"""Opening a recovery case for every debt billing raises."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.service import runtime
from services.recovery.tables import RecoveryCase
from shared.contracts.billing import DebtRaised
from shared.contracts.envelope import Envelope


@runtime.inbox.handles(DebtRaised)
async def open_recovery_case(session: AsyncSession, debt: DebtRaised, envelope: Envelope) -> None:
    """A new debt gets a recovery case, waiting for its due date."""
    session.add(
        RecoveryCase(
            case_id=uuid4(),
            debt_id=debt.debt_id,
            customer_ids=[str(c) for c in debt.customer_ids],
            debt_type=debt.debt_type,
            balance_pence=debt.amount_pence,
            due_date=debt.due_date,
            status="open",
        )
    )
