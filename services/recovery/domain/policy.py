"""A council's recovery policy for one debt type, as data: ordered steps with triggers, conditions and costs.

Policies are loaded from YAML by `policy_loader`; nothing here reads a file. Every number is the council's to
change in configuration (DOMAIN.md 4), so the code knows the vocabulary of steps and options, never a timetable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from services.recovery.domain.debt_types import DebtType, is_regulated
from services.recovery.domain.hb_order_of_recovery import RecoveryMethod
from shared.money import Pence
from shared.working_days import add_working_days, next_working_day

if TYPE_CHECKING:
    from services.recovery.domain.court_sessions import CourtSessions
    from services.recovery.domain.regulated_path import RegulatedTerms


class StepKind(StrEnum):
    """What a recovery step does, in the councils' own words."""

    REMINDER = "reminder"
    SECOND_REMINDER = "second_reminder"
    THIRD_REMINDER = "third_reminder"
    FINAL_NOTICE = "final_notice"
    SUMMONS = "summons"
    LIABILITY_ORDER = "liability_order"
    NOTICE_OF_LIABILITY_ORDER = "notice_of_liability_order"
    STATEMENT_OF_ACCOUNT = "statement_of_account"
    ORIGINATING_SECTION_REVIEW = "originating_section_review"
    PROOF_OF_DEBT_REQUEST = "proof_of_debt_request"
    CARE_MANAGER_REVIEW = "care_manager_review"
    ENFORCEMENT_AGENT_REFERRAL = "enforcement_agent_referral"
    COLLECTION_AGENCY_REFERRAL = "collection_agency_referral"
    LEGAL_REFERRAL = "legal_referral"
    WITHDRAWAL_OF_SERVICE = "withdrawal_of_service"
    NOTICE_TO_QUIT = "notice_to_quit"
    LEGAL_CHARGE = "legal_charge"
    WRITE_OFF_REQUEST = "write_off_request"


# Referrals hand the debt to someone outside the recovery team; they are recalled when a hold arrives.
REFERRAL_KINDS: frozenset[StepKind] = frozenset(
    {StepKind.ENFORCEMENT_AGENT_REFERRAL, StepKind.COLLECTION_AGENCY_REFERRAL, StepKind.LEGAL_REFERRAL}
)
# Placements with an agent: barred for vulnerable or can't-pay debtors until their case is reviewed (Derby 7.9).
AGENT_REFERRAL_KINDS: frozenset[StepKind] = frozenset(
    {StepKind.ENFORCEMENT_AGENT_REFERRAL, StepKind.COLLECTION_AGENCY_REFERRAL}
)
# Kinds that a statute or the courts make enforcement unless the policy file says otherwise.
_ENFORCEMENT_BY_DEFAULT: frozenset[StepKind] = REFERRAL_KINDS | {
    StepKind.SUMMONS,
    StepKind.LIABILITY_ORDER,
    StepKind.NOTICE_OF_LIABILITY_ORDER,
    StepKind.WITHDRAWAL_OF_SERVICE,
    StepKind.NOTICE_TO_QUIT,
    StepKind.LEGAL_CHARGE,
}
# Internal steps that write to nobody outside the council.
_NOT_CONTACT_BY_DEFAULT: frozenset[StepKind] = frozenset(
    {
        StepKind.ORIGINATING_SECTION_REVIEW,
        StepKind.PROOF_OF_DEBT_REQUEST,
        StepKind.CARE_MANAGER_REVIEW,
        StepKind.WRITE_OFF_REQUEST,
        StepKind.LEGAL_CHARGE,
    }
)
# A policy may hold each of these at most once: the law knows one summons, one liability order.
SINGLE_USE_KINDS: frozenset[StepKind] = frozenset(
    {
        StepKind.FINAL_NOTICE,
        StepKind.SUMMONS,
        StepKind.LIABILITY_ORDER,
        StepKind.NOTICE_OF_LIABILITY_ORDER,
        StepKind.WRITE_OFF_REQUEST,
    }
)


def is_enforcement_by_default(kind: StepKind) -> bool:
    """Whether a step of this kind counts as enforcement when the policy file does not say."""
    return kind in _ENFORCEMENT_BY_DEFAULT


def is_contact_by_default(kind: StepKind) -> bool:
    """Whether a step of this kind contacts the debtor when the policy file does not say."""
    return kind not in _NOT_CONTACT_BY_DEFAULT


class EnforcementOption(StrEnum):
    """Recovery options a step opens (DOMAIN.md 4, after the notice stage)."""

    ARRANGEMENT = "arrangement"
    INFORMATION_ORDER = "information_order"
    REQUEST_FOR_FINANCIAL_INFORMATION = "request_for_financial_information"
    ATTACHMENT_OF_EARNINGS = "attachment_of_earnings"
    ATTACHMENT_OF_BENEFITS = "attachment_of_benefits"
    ATTACHMENT_OF_MEMBERS_ALLOWANCES = "attachment_of_members_allowances"
    DIRECT_EARNINGS_ATTACHMENT = "direct_earnings_attachment"
    DEDUCTION_FROM_HOUSING_BENEFIT = "deduction_from_housing_benefit"
    ENFORCEMENT_AGENT = "enforcement_agent"
    COLLECTION_AGENT = "collection_agent"
    CHARGING_ORDER = "charging_order"
    ORDER_FOR_SALE = "order_for_sale"
    THIRD_PARTY_DEBT_ORDER = "third_party_debt_order"
    HIGH_COURT_ENFORCEMENT_OFFICER = "high_court_enforcement_officer"
    COUNTY_COURT_JUDGMENT = "county_court_judgment"
    INSOLVENCY = "insolvency"
    COMMITTAL_TO_PRISON = "committal_to_prison"
    SECURITY_FOR_UNPAID_RATES = "security_for_unpaid_rates"
    WITHDRAWAL_OF_SERVICE = "withdrawal_of_service"
    LATE_PAYMENT_FEES = "late_payment_fees"
    LATE_PAYMENT_INTEREST = "late_payment_interest"
    LEGAL_CHARGE = "legal_charge"


class Anchor(StrEnum):
    """The date a step's waiting time is counted from."""

    DUE_DATE = "due_date"
    PREVIOUS_STEP = "previous_step"
    # The end of the calendar quarter on or after the previous step (RBWM 8: agents if unpaid at quarter end).
    QUARTER_END = "quarter_end"


class DayBasis(StrEnum):
    """Whether a waiting time counts every day or only England and Wales working days."""

    CALENDAR = "calendar"
    WORKING = "working"


def quarter_end_on_or_after(day: date) -> date:
    """The last day of the calendar quarter containing `day` (31 March, 30 June, 30 September, 31 December)."""
    quarter_last_month = ((day.month - 1) // 3 + 1) * 3
    if quarter_last_month == 12:
        return date(day.year, 12, 31)
    return date(day.year, quarter_last_month + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Trigger:
    """When a step falls due: `days` (calendar or working) after the anchor date."""

    anchor: Anchor
    days: int
    basis: DayBasis = DayBasis.CALENDAR

    def eligible_from(self, anchor_date: date) -> date:
        """The first date the step may be taken, counted from `anchor_date` (already resolved for the anchor)."""
        if self.anchor is Anchor.QUARTER_END:
            anchor_date = quarter_end_on_or_after(anchor_date)
        if self.basis is DayBasis.WORKING:
            if self.days == 0:
                return next_working_day(anchor_date)
            return add_working_days(anchor_date, self.days)
        return anchor_date + timedelta(days=self.days)


@dataclass(frozen=True)
class StepConditions:
    """What must be true of the case for the step to be taken; a step whose conditions fail is passed over.

    `min_defaults`/`max_defaults` count the instalment defaults in the year (council tax: a final notice only
    on the third default); `min_balance` skips costly steps on small sums; `individuals_only` keeps committal
    and similar steps away from companies.
    """

    min_defaults: int | None = None
    max_defaults: int | None = None
    min_balance: Pence | None = None
    individuals_only: bool = False

    def hold_for(self, defaults_count: int, balance: Pence, debtor_is_individual: bool) -> bool:
        """True when a case with these facts meets every condition."""
        if self.min_defaults is not None and defaults_count < self.min_defaults:
            return False
        if self.max_defaults is not None and defaults_count > self.max_defaults:
            return False
        if self.min_balance is not None and balance < self.min_balance:
            return False
        return not (self.individuals_only and not debtor_is_individual)


@dataclass(frozen=True)
class RecoveryStep:
    """One step of a timetable: what it is, when it falls due, what it costs the debtor and what it opens."""

    name: str
    kind: StepKind
    trigger: Trigger
    conditions: StepConditions = field(default_factory=StepConditions)
    costs: Pence = 0
    pay_within_days: int = 7
    opens: tuple[EnforcementOption, ...] = ()
    enforcement: bool = False
    contact: bool = True
    template: str | None = None
    line: int = 0  # where the step is written in its policy file, for messages about it
    # A proof of debt request: the working days the originating service has to answer (domain/proof_of_debt.py).
    reply_within_working_days: int | None = None

    @property
    def is_referral(self) -> bool:
        """True when the step hands the debt to an agent, agency or legal services."""
        return self.kind in REFERRAL_KINDS

    @property
    def is_agent_referral(self) -> bool:
        """True when the step places the debt with an enforcement agent or collection agency."""
        return self.kind in AGENT_REFERRAL_KINDS

    @property
    def letter_template(self) -> str:
        """The letter template this step renders, by default named after its kind."""
        return self.template or f"{self.kind.value}.txt.j2"


@dataclass(frozen=True)
class GentlerRoute:
    """What the policy does instead for a vulnerable or can't-pay debtor (DOMAIN.md 6)."""

    extra_days_to_pay: int = 14
    postpone_enforcement_days: int = 30
    advice_referral: bool = True
    bar_agent_referral_until_reviewed: bool = True


@dataclass(frozen=True)
class ArrangementTerms:
    """How the policy lets a debtor pay by instalments."""

    clear_by_financial_year_end: bool = False
    max_instalments: int = 12
    min_instalment: Pence = 500
    # Share of the Standard Financial Statement surplus an affordable plan may take, in percent.
    surplus_share_percent: int = 100


@dataclass(frozen=True)
class RecoveryPolicy:
    """A council's recovery route for one debt type (and optionally a named group within it, e.g. allotments)."""

    council: str
    debt_type: DebtType
    steps: tuple[RecoveryStep, ...]
    group: str | None = None
    description: str = ""
    minimum_days_between_steps: int = 0
    dispute_resolution_days: int = 30
    gentler_route: GentlerRoute = field(default_factory=GentlerRoute)
    arrangements: ArrangementTerms = field(default_factory=ArrangementTerms)
    # A council's explicit opt-in (policy file `write_off_when_exhausted: true`): recovery asks for an
    # `uneconomic_to_pursue` write-off by itself when every step is taken. Default false: issue 19, an exhausted
    # timetable is an officer's decision (`domain/exhausted_timetable.py`), not an automatic write-off request.
    write_off_when_exhausted: bool = False
    # Council tax and business rates: when, within the 1992/1989 Regulations, the council acts on the regulated
    # path (`domain/regulated_path.py`); None for every other debt type.
    regulated_terms: RegulatedTerms | None = None
    # Council tax and business rates: the court the council's summonses go to and its liability order hearings
    # (the policy file's `court:` block, the same for every regulated policy of the council).
    court: CourtSessions | None = None
    # Housing benefit overpayments (NELC 7.2): the methods asked of the benefits system, in order, before any
    # step of the invoice timetable (`domain/hb_order_of_recovery.py`); empty: the timetable alone.
    benefits_system_first: tuple[RecoveryMethod, ...] = ()

    @property
    def regulated(self) -> bool:
        """True when statute fixes this debt type's steps."""
        return is_regulated(self.debt_type)

    @property
    def key(self) -> tuple[str, DebtType, str | None]:
        """The (council, debt type, group) this policy answers for."""
        return (self.council, self.debt_type, self.group)

    def step_named(self, name: str) -> RecoveryStep:
        """The step with this name; KeyError when the policy has none."""
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def index_of(self, name: str) -> int:
        """The position of the named step in the timetable; KeyError when the policy has none."""
        for index, step in enumerate(self.steps):
            if step.name == name:
                return index
        raise KeyError(name)

    def allows_agent_referral(self) -> bool:
        """True when the timetable has a step placing the debt with an agent or agency."""
        return any(step.is_agent_referral for step in self.steps)


@dataclass(frozen=True)
class PolicyBook:
    """Every policy of one council, found by debt type and group."""

    council: str
    policies: tuple[RecoveryPolicy, ...]
    # The debt types the council does not recover through this service, each with the reason its file gives.
    no_route: tuple[tuple[DebtType, str], ...] = ()

    def routing_gaps(self) -> tuple[DebtType, ...]:
        """The debt types (DOMAIN.md 1) with neither a route of their own nor a `no_route` reason."""
        routed = {p.debt_type for p in self.policies if p.group is None} | {t for t, _ in self.no_route}
        return tuple(t for t in DebtType if t not in routed)

    def reason_for_no_route(self, debt_type: str) -> str:
        """Why a case of this debt type has no recovery steps here, in the council's words."""
        for known, reason in self.no_route:
            if known.value == debt_type:
                return reason
        return f"{self.council} has no recovery route for {debt_type}"

    def policy_for(self, debt_type: DebtType, group: str | None = None) -> RecoveryPolicy:
        """The group's own policy when there is one, else the debt type's; KeyError when neither exists."""
        by_key = {(p.debt_type, p.group): p for p in self.policies}
        if (debt_type, group) in by_key:
            return by_key[(debt_type, group)]
        if (debt_type, None) in by_key:
            return by_key[(debt_type, None)]
        raise KeyError(f"{self.council} has no recovery policy for {debt_type.value}")
