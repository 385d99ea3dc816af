"""Events published by the write-off service: decisions on write-off requests and reinstatements."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from shared.contracts.envelope import Contract, contract


@contract("writeoff.write_off.approved", version=1)
class WriteOffApproved(Contract):
    """An approved line of a signed write-off schedule: billing posts it against the debt's income code and
    recovery closes the case."""

    write_off_id: UUID
    request_id: UUID
    schedule_id: UUID
    debt_id: UUID
    amount_pence: int
    income_code: str
    reason_code: str
    approved_by: str = Field(description="The signer's id, or the committee and meeting reference")
    approved_on: date


@contract("writeoff.write_off.rejected", version=1)
class WriteOffRejected(Contract):
    """A request refused (by validation or by the approver): recovery resumes with the reason."""

    request_id: UUID
    debt_id: UUID
    reason: str
    rejected_on: date


@contract("writeoff.write_off.reinstated", version=1)
class WriteOffReinstated(Contract):
    """A payment arrived on a written-off debt: the unpaid remainder is reinstated and referred back for
    enforcement (Derby App.1 §12)."""

    write_off_id: UUID
    debt_id: UUID
    payment_pence: int
    reinstated_pence: int
    reinstated_on: date
