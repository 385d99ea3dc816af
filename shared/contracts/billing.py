"""Events published by billing: debts, instalments, payments, balances, credit notes, write-offs."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.contracts.envelope import Contract, contract


class InstalmentDue(BaseModel):
    """One instalment of a debt's schedule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    due_date: date
    amount_pence: int


@contract("billing.debt.raised", version=1)
class DebtRaised(Contract):
    """A debt now exists: the recovery case, breathing space search and agents all start from this."""

    debt_id: UUID
    customer_ids: list[UUID]
    debt_type: str
    amount_pence: int
    financial_year: str
    due_date: date
    raised_on: date
    originating_service: str
    income_code: str
    external_reference: str
    evidence_reference: str
    instalments: list[InstalmentDue] = []
