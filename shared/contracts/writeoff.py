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
    case_id: UUID | None = Field(default=None, description="The recovery case that asked, when recovery did")
    approval_band: str | None = Field(default=None, description="The band the schedule's aggregate needed")


@contract("writeoff.write_off.rejected", version=1)
class WriteOffRejected(Contract):
    """A request refused (by validation or by the approver): recovery resumes with the reason."""

    request_id: UUID
    debt_id: UUID
    reason: str
    rejected_on: date
    case_id: UUID | None = Field(default=None, description="The recovery case that asked, when recovery did")
    refusal_codes: list[str] = Field(
        default_factory=list,
        description="Machine-readable reasons (e.g. debt_in_breathing_space, rejected_by_approver)",
    )


@contract("writeoff.write_off.reinstated", version=1)
class WriteOffReinstated(Contract):
    """A payment arrived on a written-off debt: the unpaid remainder is reinstated and referred back for
    enforcement (Derby App.1 §12).

    Billing reverses `reinstated_pence` (the whole amount still written off) back onto the debt and applies the
    payment to it; what is then owed is `unpaid_remainder_pence`, referred back for enforcement when positive.
    `surplus_pence` is payment beyond the written-off amount (an overpayment for billing to treat)."""

    write_off_id: UUID
    debt_id: UUID
    payment_pence: int
    reinstated_pence: int = Field(description="The written-off amount reversed back onto the debt")
    reinstated_on: date
    payment_id: UUID | None = None
    unpaid_remainder_pence: int = 0
    surplus_pence: int = 0
    refer_for_enforcement: bool = False


@contract("writeoff.payment_for_consideration.decided", version=1)
class PaymentForConsiderationDecided(Contract):
    """An officer decided a payment received on a debt written off for a reason that ends lawful enforcement
    (remitted, insolvency, prison served in lieu, statute barred), which billing has held against the debt
    (issue 19; Derby App.1 §12 "for consideration").

    `outcome`: `accepted`: billing applies the held payment against the written-off debt as a voluntary payment;
    the write-off stands and nothing is referred for enforcement. `reinstated`: the write-off is reversed
    (`writeoff.write_off.reinstated` is published with it, as for any reinstatement, and billing applies the held
    payment then). `refunded`: billing refunds the held payment to whoever paid it."""

    payment_id: UUID
    write_off_id: UUID
    debt_id: UUID
    payment_pence: int
    outcome: str = Field(description="accepted | reinstated | refunded")
    reason: str = Field(description="The officer's reason, as recorded")
    decided_by: str = Field(description="The officer, as the identity provider names them")
    decided_on: date
