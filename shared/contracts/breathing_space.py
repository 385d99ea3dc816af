"""Events published by the breathing space service: holds for moratoria under the Debt Respite Scheme
(Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020.

How a service applies a hold (billing, recovery, the agents gateway):

- `debt_ids` are the moratorium debts held. Each has, in `scope`, what of it is protected (`HeldDebtScope`):
  every sum of the debt that fell due on or before `protected_up_to` is in the breathing space (no enforcement, no
  contact about it, no interest, fees or charges for the moratorium period); sums falling due after it for the
  period after the start are **ongoing liabilities**: not frozen, billed, collected and chased as usual (a notice
  about them says which sums are in the breathing space and which are not; statements the law requires are still
  sent). A debt listed in `debt_ids` without an entry in `scope` (a message from before scope existed) is
  protected whole.
- On a joint debt, the protection is the applicant's: `other_liable_customer_ids` are not in the breathing space,
  and `other_parties_policy` says what the council's policy allows against them, `other_parties_why` why (record
  it with every action on the debt).
- Versions: `hold_version` rises with every message about one moratorium; apply the highest seen. A
  `hold.started` after a `hold.ended` of the same moratorium puts the hold back in force (the end was revised
  later, or withdrawn); a second `hold.ended` restates the end (a revised `last_protected_day`, or debts added
  after the end, which are listed in the `hold.debts_added` just before it, so what was done on them inside the
  period can be voided). A `hold.started` restating an open hold (`restates_hold_version`) carries a revised
  `expected_end_on` and every debt held.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import Contract, contract


class HeldDebtScope(BaseModel):
    """What a hold protects on one debt: the moratorium debt (the arrears owed at the application date, reg 6) as
    against its ongoing liabilities, and, on a joint debt, who is not protected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    debt_id: UUID
    protected_up_to: date = Field(
        description="Sums of the debt that fell due on or before this day are in the breathing space (frozen: "
        "no enforcement, contact, interest, fees or charges); sums falling due after it are ongoing liabilities "
        "(collected and chased as usual). The moratorium's start date: the arrears owed at the application "
        "date, and any sum that fell due between the application and the start"
    )
    ongoing_liabilities_pence: int = Field(
        default=0,
        description="What the debt's schedule makes fall due after `protected_up_to` (0: the whole debt is "
        "protected). Only debt types the council treats as ongoing liabilities (council tax, business rates, "
        "rent) have any; an instalment of any other debt repays the protected debt",
    )
    ongoing_from: date | None = Field(
        default=None, description="The first due date of an ongoing liability on this debt, if any"
    )
    other_liable_customer_ids: list[UUID] = Field(
        default_factory=list, description="Joint debtors who did not apply: not in the breathing space"
    )
    other_parties_policy: str | None = Field(
        default=None,
        description="may_be_pursued (the creditor guidance: recovery may continue against them, without "
        "contacting the person in breathing space about the debt) | held_as_for_the_applicant (the council "
        "holds the whole debt); None when not a joint debt",
    )
    other_parties_why: str | None = Field(
        default=None, description="Why, to record with every action taken on the debt against the other party"
    )


@contract("breathing_space.hold.started", version=1)
class BreathingSpaceHoldStarted(Contract):
    """A moratorium covers these debts from `starts_on` (which may be in the past: the hold takes effect from
    then). Every service confirms receipt with its `<service>.breathing_space_hold.confirmed`."""

    moratorium_reference: str
    hold_version: int = Field(description="Increases with every change to the hold; confirmations quote it")
    kind: str = Field(description="standard | mental_health_crisis")
    starts_on: date
    expected_end_on: date | None = Field(
        description="None for a mental health crisis space until treatment ends"
    )
    customer_ids: list[UUID]
    debt_ids: list[UUID]
    scope: list[HeldDebtScope] = Field(
        default_factory=list,
        description="Per debt, what is protected (see the module doc); absent: all of it",
    )
    application_date: date | None = Field(
        default=None,
        description="The day the person applied: the moratorium debts are those owed then (reg 6). The start "
        "date when the Insolvency Service did not notify it (`application_date_notified` false)",
    )
    application_date_notified: bool = True
    restates_hold_version: int | None = Field(
        default=None,
        description="Set when this restates a hold already broadcast (a revised end date, or the hold back in "
        "force after an end was revised): the hold version it replaces",
    )


@contract("breathing_space.hold.debts_added", version=1)
class BreathingSpaceDebtsAdded(Contract):
    """More debts are covered by an existing moratorium (notified later, found by the council's search, or come to
    belong to the person: raised, a billing match confirmed, transferred, an officer's match). Held from the
    moratorium's start, with their `scope` as in `BreathingSpaceHoldStarted`."""

    moratorium_reference: str
    hold_version: int
    starts_on: date
    debt_ids: list[UUID]
    scope: list[HeldDebtScope] = Field(
        default_factory=list, description="Per debt, what is protected; absent: all of it"
    )


@contract("breathing_space.hold.ended", version=1)
class BreathingSpaceHoldEnded(Contract):
    """The moratorium ended (expired, ended early, cancelled, or 30 days after crisis treatment ended).
    Protection covers up to and including `last_protected_day`; recovery resumes after it. A later one for the
    same moratorium (higher `hold_version`) restates the end: its `last_protected_day` stands."""

    moratorium_reference: str
    hold_version: int
    how: str = Field(description="expired | ended_early | cancelled | crisis_treatment_ended")
    last_protected_day: date
    debt_ids: list[UUID]
    reason: str | None = None


@contract("breathing_space.debts.reported_back", version=1)
class DebtsReportedBack(Contract):
    """The council's search found debts beyond those notified; they were reported to the Insolvency Service."""

    moratorium_reference: str
    debt_ids: list[UUID]
    reported_on: date
    report_reference: str | None = Field(
        default=None, description="The council's notification_reference of the outbound document"
    )
    document: str | None = Field(
        default=None,
        description="The outbound `debts_reported_back` document (services/breathing_space/NOTIFICATIONS.md), "
        "verbatim, for an integration that forwards it to the Insolvency Service. Personal data.",
    )


@contract("breathing_space.review.requested", version=1)
class CreditorReviewRequested(Contract):
    """The council asked the debt adviser to review the moratorium (reg 17) within its 20 days; the outbound
    `creditor_review_requested` document (services/breathing_space/NOTIFICATIONS.md) travels with it."""

    moratorium_reference: str
    request_reference: str
    requested_on: date
    deadline: date = Field(description="The last day of the 20 days (reg 17(3)) the request was made within")
    grounds: list[str] = Field(description="unfair_prejudice | debtor_not_eligible_when_applied | ...")
    evidence_references: list[str]
    debt_ids: list[UUID] = Field(description="The moratorium debts the review is asked for (every held debt)")
    requested_by: str
    document: str = Field(description="The outbound document, verbatim. Personal data")
