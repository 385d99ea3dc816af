"""The contract between recovery and the council's benefits system for housing benefit overpayments (NELC 7.2).

Recovery publishes `recovery.benefit_deduction.requested` asking the benefits system to recover an overpayment by
one method of the order of recovery (arrears of benefit, ongoing benefit, council tax reduction, or a request to
the DWP for deductions from other benefits); the benefits system answers with
`council_systems.benefit_deduction.confirmed` (deductions in place, at what rate) or
`council_systems.benefit_deduction.stopped` (none possible or no longer possible, and why), and recovery moves to
the next method of the order.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from shared.contracts.envelope import Contract, contract

_METHOD = "arrears_of_benefit | ongoing_benefit | council_tax_reduction | other_benefits_dwp"


@contract("recovery.benefit_deduction.requested", version=1)
class BenefitDeductionRequested(Contract):
    """Recovery asks the benefits system to recover this overpayment by `method`. `request_id` is quoted back in
    the answer; the same request published twice is one request."""

    request_id: UUID
    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID]
    claim_reference: str = Field(description="the benefit claim the overpayment arose on")
    method: str = Field(description=_METHOD)
    amount_pence: int = Field(gt=0, description="what is still owed")
    requested_on: date


@contract("council_systems.benefit_deduction.confirmed", version=1)
class BenefitDeductionConfirmed(Contract):
    """The benefits system recovers the overpayment by the requested method from `starts_on`, at
    `amount_pence_per_week` (ongoing deductions) or as one sum (`amount_pence_per_week` None: arrears recovered)."""

    request_id: UUID = Field(description="the request answered (recovery.benefit_deduction.requested)")
    case_id: UUID = Field(description="recovery's case, as the request gave it")
    method: str = Field(description=_METHOD)
    starts_on: date = Field(description="the first day deductions are made")
    amount_pence_per_week: int | None = Field(
        default=None, gt=0, description="the weekly deduction in pence (ongoing deductions); None for arrears"
    )
    recovered_pence: int = Field(default=0, ge=0, description="recovered at once (arrears of benefit)")


@contract("council_systems.benefit_deduction.stopped", version=1)
class BenefitDeductionStopped(Contract):
    """The benefits system cannot, or can no longer, recover by this method (no entitlement, claim ended,
    DWP declined); recovery moves to the next method of the order."""

    request_id: UUID = Field(description="the request answered (recovery.benefit_deduction.requested)")
    case_id: UUID = Field(description="recovery's case, as the request gave it")
    method: str = Field(description=_METHOD)
    stopped_on: date = Field(description="the last day of deductions, or the day the method was declined")
    reason: str = Field(description="why, e.g. 'no entitlement', 'claim ended', 'DWP declined'")


@contract("recovery.benefit_deduction.suspension_requested", version=1)
class BenefitDeductionSuspensionRequested(Contract):
    """Recovery asks the benefits system to suspend recovery of this overpayment by `method` (or not to start it,
    when the request is not yet answered) because a hold stops recovery of the debt (`hold_kind`). A deduction
    from benefit is a step to collect the debt: in a breathing space the Debt Respite Scheme (Breathing Space
    Moratorium and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020, reg 7, forbid a creditor
    to take any step to collect a moratorium debt (only debts in the moratorium's scope are suspended; ongoing
    liabilities are not protected); an appeal or reconsideration of the overpayment decision, or a dispute of it,
    suspends recovery until it is decided (DWP HB/CTB overpayments guide; the appeal rights of the Child Support,
    Pensions and Social Security Act 2000, Sch 7); a vulnerability review, a hardship deferral or an officer's
    hold stops it while it lasts. When no hold stops recovery any longer (the last is lifted or ends), recovery
    asks the method again with a new `recovery.benefit_deduction.requested` (a new `request_id`); nothing is to
    be deducted under the suspended request meanwhile. The same suspension published twice is one suspension.
    Version 1 messages from before `hold_kind` and `hold_id` were all for a breathing space, and read as one."""

    suspension_id: UUID = Field(description="this suspension request's id")
    request_id: UUID = Field(
        description="the request whose recovery is suspended (recovery.benefit_deduction.requested)"
    )
    case_id: UUID = Field(description="recovery's case, as the request gave it")
    debt_id: UUID = Field(description="the overpayment debt in the breathing space")
    customer_ids: list[UUID] = Field(description="everyone liable for the overpayment")
    claim_reference: str = Field(description="the benefit claim the overpayment arose on")
    method: str = Field(description=_METHOD)
    moratorium_reference: str = Field(
        description="the breathing space (Insolvency Service register reference); empty when the hold is not a "
        "breathing space (see hold_kind and hold_id)"
    )
    suspend_from: date = Field(description="the hold's start: no deduction from this day on")
    requested_on: date = Field(description="the business day recovery asked")
    reason: str = Field(
        description="why, as on the case record: the hold's kind, its reference (register reference or hold id), "
        "its start and the rule"
    )
    hold_kind: str = Field(
        default="breathing_space",
        description="the hold that stops recovery: breathing_space | mental_health_crisis_breathing_space | "
        "appeal | dispute | vulnerability | hardship_deferral | manual (absent: breathing_space)",
    )
    hold_id: UUID | None = Field(
        default=None,
        description="recovery's id for the hold, as in recovery.hold.applied and recovery.hold.lifted (absent in "
        "messages from before this field)",
    )
