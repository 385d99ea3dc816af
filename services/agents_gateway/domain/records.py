"""The record kinds carried in agent files, one pydantic model each, told apart by their `kind` field.

Outbound (council to agent): placement, amendment, hold, hold_lifted, recall, return_requested.
Inbound (agent to council): placement_acknowledged, placement_rejected, payment_collected, fee_charged,
status_update, vulnerability_referral, case_returned.
Rejection (council to agent, about a file of theirs we quarantined): file_problem.

Every record names the council's case reference, so each line stands alone. Amounts are integer pence.
`trailer_amount` is what a record adds to the trailer's total (see FILE_FORMAT.md).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.agents_gateway.domain.debt_types import DEBT_TYPES_NEEDING_A_LIABILITY_ORDER, DebtType

CaseReference = Annotated[str, Field(min_length=1, max_length=40)]
PositivePence = Annotated[int, Field(gt=0)]
NonNegativePence = Annotated[int, Field(ge=0)]
ShortText = Annotated[str, Field(max_length=2000)]


class _Record(BaseModel):
    # Unknown fields are refused so that a misspelt field fails loudly instead of being dropped.
    model_config = ConfigDict(frozen=True, extra="forbid")

    @property
    def trailer_amount(self) -> int:
        """Pence this record contributes to the trailer total (0 for records that move no money)."""
        return 0


# ---- parts of a placement -------------------------------------------------------------------------------------


class DebtorKind(StrEnum):
    """Whether the debtor is a person or a body with legal personality (a company, a charity)."""

    PERSON = "person"
    ORGANISATION = "organisation"


class Address(BaseModel):
    """A postal address as the council holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: Annotated[list[str], Field(min_length=1, max_length=6)]
    postcode: Annotated[str, Field(min_length=5, max_length=8)]


class Debtor(BaseModel):
    """Who owes the debt, with what the agent needs to trace and contact them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DebtorKind
    name: Annotated[str, Field(min_length=1, max_length=200)]
    date_of_birth: date | None = None
    address: Address
    telephone: str | None = None
    email: str | None = None


class LiabilityOrder(BaseModel):
    """The magistrates' court order that lets council tax or business rates be enforced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    court: str
    granted_on: date
    order_reference: str
    amount_pence: PositivePence


class Judgment(BaseModel):
    """A county court judgment (or Traffic Enforcement Centre order) behind a non-statutory debt."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    court: str
    claim_number: str
    judgment_on: date
    amount_pence: PositivePence


class PlacedDebt(BaseModel):
    """One debt on a placed case; a case may carry several debts of the same debtor."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    debt_reference: Annotated[str, Field(min_length=1, max_length=40)]
    debt_type: DebtType
    financial_year: str | None = Field(default=None, pattern=r"^\d{4}/\d{2}$")
    balance_pence: PositivePence
    liability_order: LiabilityOrder | None = None
    judgment: Judgment | None = None

    @model_validator(mode="after")
    def _statutory_debts_carry_their_order(self) -> PlacedDebt:
        if self.debt_type in DEBT_TYPES_NEEDING_A_LIABILITY_ORDER and self.liability_order is None:
            raise ValueError(f"a {self.debt_type.value} debt is placed only with its liability order")
        return self


class ContactNote(BaseModel):
    """A note of contact with the debtor that the agent should know (Sundry 8.7)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    noted_on: date
    note: ShortText


# ---- outbound ---------------------------------------------------------------------------------------------------


class Placement(_Record):
    """A new case for the agent: the debtor, the debts, and what the council knows of their circumstances."""

    kind: Literal["placement"] = "placement"
    case_reference: CaseReference
    placed_on: date
    debtor: Debtor
    debts: Annotated[list[PlacedDebt], Field(min_length=1)]
    vulnerability_flags: list[str] = Field(default_factory=list)
    contact_notes: list[ContactNote] = Field(default_factory=list)

    @property
    def trailer_amount(self) -> int:
        """The total balance placed."""
        return sum(debt.balance_pence for debt in self.debts)


class AmendmentReason(StrEnum):
    """Why a placed balance changed."""

    BALANCE_CHANGE = "balance_change"
    PAYMENT_RECEIVED_BY_COUNCIL = "payment_received_by_council"


class Amendment(_Record):
    """A change to a placed debt's balance: an adjustment, or a payment that reached the council directly."""

    kind: Literal["amendment"] = "amendment"
    case_reference: CaseReference
    debt_reference: str
    amended_on: date
    reason: AmendmentReason
    # Signed: a reduction is negative. A payment received by the council is always a reduction.
    change_pence: int
    new_balance_pence: NonNegativePence

    @model_validator(mode="after")
    def _payments_reduce_the_balance(self) -> Amendment:
        if self.change_pence == 0:
            raise ValueError("an amendment must change the balance")
        if self.reason is AmendmentReason.PAYMENT_RECEIVED_BY_COUNCIL and self.change_pence > 0:
            raise ValueError("a payment received by the council reduces the balance (change_pence < 0)")
        return self

    @property
    def trailer_amount(self) -> int:
        """The signed balance change."""
        return self.change_pence


class HoldReason(StrEnum):
    """Why the council has told the agent to stop all action on a case."""

    BREATHING_SPACE = "breathing_space"
    MENTAL_HEALTH_CRISIS_BREATHING_SPACE = "mental_health_crisis_breathing_space"
    VULNERABILITY = "vulnerability"
    DISPUTE = "dispute"
    APPEAL = "appeal"
    OTHER = "other"


class OngoingLiabilitiesAction(StrEnum):
    """What a breathing space hold lets the agent do about the ongoing liabilities on the case (see
    `domain/breathing_space_scope.py`)."""

    STOP = "stop"
    COLLECT_WITHOUT_ENFORCEMENT = "collect_without_enforcement"


class Hold(_Record):
    """Stop all enforcement and contact on the case from `starts_on` (which may be in the past).

    A breathing space hold also says what of the placed balance is the moratorium debt (`moratorium_pence`: no
    enforcement, no contact about it, Debt Respite Scheme Regulations 2020 reg 7), any ongoing liabilities in it
    (sums falling due after `protected_up_to`) and what the council lets the agent do about those."""

    kind: Literal["hold"] = "hold"
    case_reference: CaseReference
    reason: HoldReason
    starts_on: date
    ends_on: date | None = None
    protected_up_to: date | None = None
    moratorium_pence: NonNegativePence | None = None
    ongoing_liabilities_pence: NonNegativePence | None = None
    ongoing_liabilities_from: date | None = None
    ongoing_liabilities_action: OngoingLiabilitiesAction | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Hold:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("a hold cannot end before it starts")
        return self


class HoldLifted(_Record):
    """The hold on a case has ended or was cancelled; the agent may resume."""

    kind: Literal["hold_lifted"] = "hold_lifted"
    case_reference: CaseReference
    lifted_on: date


class Recall(_Record):
    """The council takes the case back: the agent must stop at once and return it."""

    kind: Literal["recall"] = "recall"
    case_reference: CaseReference
    recalled_on: date
    reason: ShortText


class ReturnRequested(_Record):
    """The council asks the agent to close and return the case at the end of its current stage."""

    kind: Literal["return_requested"] = "return_requested"
    case_reference: CaseReference
    requested_on: date
    reason: ShortText


# ---- inbound ----------------------------------------------------------------------------------------------------


class PlacementAcknowledged(_Record):
    """The agent has accepted the case and given it their own reference."""

    kind: Literal["placement_acknowledged"] = "placement_acknowledged"
    case_reference: CaseReference
    agent_reference: str
    acknowledged_on: date


class PlacementRejected(_Record):
    """The agent will not take the case (e.g. outside their area, missing liability order)."""

    kind: Literal["placement_rejected"] = "placement_rejected"
    case_reference: CaseReference
    rejected_on: date
    reason: ShortText


class PaymentCollected(_Record):
    """Money the agent collected from the debtor, to be posted to the debt by billing."""

    kind: Literal["payment_collected"] = "payment_collected"
    case_reference: CaseReference
    agent_reference: str
    payment_reference: Annotated[str, Field(min_length=1, max_length=60)]
    amount_pence: PositivePence
    collected_on: date

    @property
    def trailer_amount(self) -> int:
        """The amount collected."""
        return self.amount_pence


class FeeStage(StrEnum):
    """The stages of the Taking Control of Goods (Fees) Regulations 2014, regulation 5 (not High Court)."""

    COMPLIANCE = "compliance"
    ENFORCEMENT = "enforcement"
    SALE_OR_DISPOSAL = "sale_or_disposal"


class FeeCharged(_Record):
    """A statutory fee the agent has added to the debtor's account for a stage."""

    kind: Literal["fee_charged"] = "fee_charged"
    case_reference: CaseReference
    stage: FeeStage
    amount_pence: PositivePence
    charged_on: date
    # When the agent gave a vulnerable debtor an adequate opportunity to get assistance and advice (Taking
    # Control of Goods (Fees) Regulations 2014 reg 12): without it no enforcement fee is recoverable from them.
    advice_opportunity_given_on: date | None = None

    @property
    def trailer_amount(self) -> int:
        """The fee charged."""
        return self.amount_pence


class CaseStage(StrEnum):
    """Where the agent is with a case."""

    COMPLIANCE = "compliance"
    ENFORCEMENT = "enforcement"
    SALE = "sale"
    ARRANGEMENT = "arrangement"


class InstalmentFrequency(StrEnum):
    """How often a debtor pays under an arrangement with the agent."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class ArrangementWithAgent(BaseModel):
    """Instalments the debtor agreed with the agent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instalment_pence: PositivePence
    frequency: InstalmentFrequency
    first_payment_on: date


class StatusUpdate(_Record):
    """The case moved to a stage, or the debtor made an arrangement with the agent."""

    kind: Literal["status_update"] = "status_update"
    case_reference: CaseReference
    stage: CaseStage
    effective_on: date
    arrangement: ArrangementWithAgent | None = None

    @model_validator(mode="after")
    def _arrangement_has_its_terms(self) -> StatusUpdate:
        if (self.stage is CaseStage.ARRANGEMENT) != (self.arrangement is not None):
            raise ValueError("arrangement terms are given exactly when the stage is 'arrangement'")
        return self


class VulnerabilityReferral(_Record):
    """The agent has found the debtor vulnerable and refers the case back (Derby 7.9); enforcement is held."""

    kind: Literal["vulnerability_referral"] = "vulnerability_referral"
    case_reference: CaseReference
    referred_on: date
    indicators: Annotated[list[str], Field(min_length=1)]
    notes: ShortText = ""


class ReturnReason(StrEnum):
    """Why an agent returns a case unpaid."""

    NULLA_BONA = "nulla_bona"
    GONE_AWAY = "gone_away"
    UNTRACEABLE = "untraceable"
    DECEASED = "deceased"
    INSOLVENT = "insolvent"


class CaseReturned(_Record):
    """The agent has closed the case and returns it, with what is still owed."""

    kind: Literal["case_returned"] = "case_returned"
    case_reference: CaseReference
    returned_on: date
    reason: ReturnReason
    balance_remaining_pence: NonNegativePence
    notes: ShortText = ""


# ---- rejection --------------------------------------------------------------------------------------------------


class FileProblemRecord(_Record):
    """One problem found in a file the agent sent, in the rejection file we send back."""

    kind: Literal["file_problem"] = "file_problem"
    rejected_file_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    rejected_file_sequence: int | None = None
    line: int | None = None
    code: str
    message: ShortText
    case_reference: str | None = None


OutboundRecord = Annotated[
    Placement | Amendment | Hold | HoldLifted | Recall | ReturnRequested, Field(discriminator="kind")
]
InboundRecord = Annotated[
    PlacementAcknowledged
    | PlacementRejected
    | PaymentCollected
    | FeeCharged
    | StatusUpdate
    | VulnerabilityReferral
    | CaseReturned,
    Field(discriminator="kind"),
]
RejectionRecord = FileProblemRecord
AnyRecord = (
    Placement
    | Amendment
    | Hold
    | HoldLifted
    | Recall
    | ReturnRequested
    | PlacementAcknowledged
    | PlacementRejected
    | PaymentCollected
    | FeeCharged
    | StatusUpdate
    | VulnerabilityReferral
    | CaseReturned
    | FileProblemRecord
)


_DATE_FIELDS = (
    "placed_on",
    "amended_on",
    "starts_on",
    "lifted_on",
    "recalled_on",
    "requested_on",
    "acknowledged_on",
    "rejected_on",
    "collected_on",
    "charged_on",
    "effective_on",
    "referred_on",
    "returned_on",
)
_DATE_FIELD_BY_KIND: dict[type, str | None] = {}


def record_date(record: AnyRecord) -> date | None:
    """The date the record says its event happened (used by reconciliation to date agent activity)."""
    kind = type(record)
    if kind not in _DATE_FIELD_BY_KIND:
        # Looked up once per record class: probing absent attributes on a pydantic model is slow, and a
        # 100,000-record file asks this of every record.
        _DATE_FIELD_BY_KIND[kind] = next((f for f in _DATE_FIELDS if f in kind.model_fields), None)
    field = _DATE_FIELD_BY_KIND[kind]
    value = getattr(record, field) if field is not None else None
    return value if isinstance(value, date) else None
