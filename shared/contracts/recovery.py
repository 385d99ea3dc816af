"""Events published by recovery: cases, steps and notices, holds, arrangements, referrals and write-off requests,
plus the daily run that drives it."""

from __future__ import annotations

from datetime import date, time
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.envelope import Contract, contract


@contract("recovery.daily_run.requested", version=1)
class DailyRunRequested(Contract):
    """Advance every recovery case whose step is due as of `business_date`. Published by the scheduler in
    production and by tests and the demo at will. A rerun for the same date does nothing more."""

    business_date: date


class SummonsHearing(BaseModel):
    """The liability order hearing a council tax or business rates summons is issued for: the magistrates' court,
    where it sits, the day and time (at least 14 days after the day the summons is served, CT reg 35(2A)), the
    day the summons is taken as served, and the costs the summons claims."""

    court_name: str
    court_address: str
    hearing_on: date
    hearing_at: time
    served_on: date
    costs_claimed_pence: int = Field(ge=0)


@contract("recovery.stage.advanced", version=1)
class StageAdvanced(Contract):
    """A recovery case took a step of its timetable (reminder, final notice, summons, liability order, ...).
    A summons carries its hearing (`hearing`); every other step leaves it out."""

    case_id: UUID
    debt_id: UUID
    step_name: str
    step_kind: str
    taken_on: date
    costs_added_pence: int = 0
    enforcement_options_opened: list[str] = Field(default_factory=list)
    hearing: SummonsHearing | None = None


@contract("recovery.notice.issued", version=1)
class NoticeIssued(Contract):
    """A letter was issued for the print/email channel. The text is stored with the case; `large_print` says
    which rendering the customer gets."""

    notice_id: UUID
    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID]
    step_name: str
    issued_on: date
    amount_pence: int
    large_print: bool
    letter_text: str


@contract("recovery.case.referred", version=1)
class CaseReferred(Contract):
    """The case goes to an enforcement agent or collection agency; the gateway places it in the next file.
    All the customer's debts were considered (DOMAIN.md 8)."""

    referral_id: UUID
    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID]
    debt_type: str
    balance_pence: int
    referred_on: date
    agency_kind: str = Field(description="enforcement_agent | collection_agency")
    liability_order_reference: str | None = None
    liability_order_date: date | None = None
    vulnerability_flags: list[str] = Field(default_factory=list)
    contact_notes: str | None = None
    judgment_court: str | None = Field(
        default=None,
        description="County court judgment behind a non-statutory debt sent to an enforcement agent",
    )
    judgment_claim_number: str | None = None
    judgment_on: date | None = None


@contract("recovery.recall.requested", version=1)
class RecallRequested(Contract):
    """Take a case back from its agent. `immediate` for breathing space: sent at once, not with the next batch."""

    referral_id: UUID | None
    case_id: UUID
    debt_id: UUID
    reason: str
    immediate: bool
    requested_on: date


@contract("recovery.hold.applied", version=1)
class HoldApplied(Contract):
    """Recovery on a debt is paused: no step, no contact, while the hold lasts."""

    hold_id: UUID
    case_id: UUID
    debt_id: UUID
    reason: str = Field(
        description="breathing_space | mental_health_crisis | dispute | appeal | vulnerability "
        "| hardship_deferral | manual"
    )
    authorised_by: str
    starts_on: date
    ends_on: date | None = None
    review_on: date | None = None


@contract("recovery.hold.lifted", version=1)
class HoldLifted(Contract):
    """A hold ended; recovery resumes where it paused."""

    hold_id: UUID
    case_id: UUID
    debt_id: UUID
    reason: str
    lifted_on: date


@contract("recovery.arrangement.made", version=1)
class ArrangementMade(Contract):
    """An affordable instalment arrangement, possibly combined across several of the customer's debts."""

    arrangement_id: UUID
    customer_id: UUID | None
    debt_ids: list[UUID]
    total_pence: int
    instalment_pence: int
    instalments: int
    first_due_on: date
    made_on: date


@contract("recovery.arrangement.defaulted", version=1)
class ArrangementDefaulted(Contract):
    """A missed arrangement instalment: the whole balance is due and recovery resumes."""

    arrangement_id: UUID
    debt_ids: list[UUID]
    defaulted_on: date


@contract("recovery.write_off.requested", version=1)
class WriteOffRequested(Contract):
    """Recovery is exhausted (or an officer asks): the write-off service decides, by its approval bands."""

    request_id: UUID
    case_id: UUID | None
    debt_id: UUID
    customer_id: UUID | None
    debt_type: str
    income_code: str
    originating_service: str
    financial_year: str
    amount_pence: int
    reason_code: str
    evidence: list[str]
    requested_by: str
    requested_on: date
    council: str | None = Field(
        default=None,
        description="The council whose approval bands decide (recovery's policy council); absent: the write-off "
        "service's configured council",
    )
    written_report: str | None = Field(
        default=None, description="The written report an 'other' reason requires (goes to the top band)"
    )
    insolvency_order_date: date | None = Field(
        default=None,
        description="A formal insolvency write-off: the date of the order (only the debt owed up to it is written "
        "off, Derby App.1 §7); required by the write-off service for that reason",
    )
    owed_at_order_date_pence: int | None = Field(
        default=None,
        description="A formal insolvency write-off: what the debt owed on the date of the order; the amount "
        "written off may not exceed it",
    )


@contract("recovery.case.closed", version=1)
class CaseClosed(Contract):
    """Recovery on the debt has ended (settled, written off, cancelled)."""

    case_id: UUID
    debt_id: UUID
    reason: str
    closed_on: date


@contract("recovery.breathing_space_hold.confirmed", version=1)
class RecoveryConfirmedHold(Contract):
    """Recovery has held every covered case (and recalled any referral) for the moratorium."""

    moratorium_reference: str
    hold_version: int
    confirmed_debt_ids: list[UUID]


@contract("recovery.daily_run.completed", version=1)
class DailyRunCompleted(Contract):
    """A daily run finished: what it did as of `business_date` (a rerun for the same date reports nothing
    taken). `run_id` is the event id of the DailyRunRequested it answers."""

    business_date: date
    run_id: UUID
    cases_examined: int
    steps_taken: int
    notices_issued: int
    referrals: int
    write_off_requests: int
    arrangements_defaulted: int = 0


@contract("recovery.costs.reversed", version=1)
class CostsReversed(Contract):
    """Costs added at steps that a late breathing space made void (fees and charges are frozen from the
    moratorium's start): billing takes them off the debt, which it reports as a BalanceChanged."""

    case_id: UUID
    debt_id: UUID
    amount_pence: int
    reason: str
    reversed_on: date
    void_steps: list[str] = Field(default_factory=list)


@contract("recovery.enforcement.chosen", version=1)
class EnforcementChosen(Contract):
    """A senior officer chose an enforcement step after the liability order or judgment (attachment of earnings
    or benefits, charging order, third party debt order, High Court enforcement, insolvency, committal) or, for a
    housing benefit overpayment, a direct earnings attachment (no order needed), allowed by
    `services/recovery/domain/post_order_enforcement.py`; legal services or the court team act on it. The letters
    issued with it (the order or notice to the employer, the application to the DWP, the debtor's notice) are
    `notice_ids`, each retrievable at `/cases/{case_id}/letters/{notice_id}.pdf`."""

    case_id: UUID
    debt_id: UUID
    enforcement: str
    order_reference: str
    balance_pence: int
    chosen_by: str
    chosen_on: date
    notes: str = ""
    notice_ids: list[UUID] = Field(default_factory=list, description="the letters issued for the step")
    employer_name: str | None = Field(
        default=None, description="attachment of earnings, direct earnings attachment: whose payroll deducts"
    )
    higher_rates: bool = Field(
        default=False,
        description="direct earnings attachment: the higher rates apply (SS (Overpayments and Recovery) Regs 2013 "
        "reg 20(3A), the debtor found guilty of an offence about the overpayment)",
    )
