"""The monthly budget-holder review (Sundry 10.1-10.2; NELC 5.20-5.21): each month the debts more than 90 and
120 days past due are listed to the budget holders who own them; each budget holder decides what happens next
(write off, legal action, an arrangement, cancel if inaccurate, or continue recovery) within 10 working days of
the listing (the England and Wales working-day calendar, `shared.working_days`). Undecided after the deadline,
the review is overdue; a decision made after it is kept and marked late. A decision is recorded once, with who
made it (the signed-in principal: a senior officer, or the budget holder role of the debt's directorate)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from services.billing.management_information.directorates import directorate_of
from services.billing.management_information.policy import UNASSIGNED, ManagementInformationPolicy
from shared.auth import Role
from shared.debt_types import DebtType
from shared.money import Pence
from shared.working_days import add_working_days


class BudgetHolderDecision(StrEnum):
    """What a budget holder decides for a listed debt (Sundry 10.1, NELC 5.20)."""

    CONTINUE_RECOVERY = "continue_recovery"
    WRITE_OFF_REQUEST = "write_off_request"
    LEGAL_ACTION = "legal_action"
    ARRANGEMENT = "arrangement"
    CANCEL = "cancel"  # the invoice was inaccurate: the originating service cancels it (Sundry 8.5)


class ReviewStatus(StrEnum):
    """Where a listed debt's review stands on a given day."""

    AWAITING_DECISION = "awaiting_decision"
    OVERDUE = "overdue"
    DECIDED = "decided"
    DECIDED_LATE = "decided_late"


@dataclass(frozen=True)
class ReviewCandidate:
    """An open debt with money unpaid, and the due date of its oldest unpaid line."""

    debt_id: UUID
    debt_type: DebtType
    income_code: str
    oldest_unpaid_due: date
    outstanding_pence: Pence


@dataclass(frozen=True)
class ReviewEntry:
    """A debt listed to its budget holder for the month, and the decision once made."""

    review_month: date
    debt_id: UUID
    debt_type: DebtType
    income_code: str
    directorate: str
    budget_holder: str
    days_past_due: int
    over_days: int
    outstanding_pence: Pence
    listed_on: date
    decide_by: date
    decision: BudgetHolderDecision | None = None
    decision_note: str | None = None
    decided_by: str | None = None
    decided_on: date | None = None

    def status_on(self, day: date) -> ReviewStatus:
        """Decided (on time or late), or awaiting a decision (overdue once the deadline has passed)."""
        if self.decided_on is not None:
            return ReviewStatus.DECIDED_LATE if self.decided_on > self.decide_by else ReviewStatus.DECIDED
        return ReviewStatus.OVERDUE if day > self.decide_by else ReviewStatus.AWAITING_DECISION


def review_month_of(day: date) -> date:
    """The review month a day belongs to, named by its first day."""
    return day.replace(day=1)


def monthly_listing(
    candidates: Iterable[ReviewCandidate], policy: ManagementInformationPolicy, listed_on: date
) -> list[ReviewEntry]:
    """The month's review: every candidate of the reviewed debt types more than the listing threshold (90 days)
    past due on `listed_on`,
    with its directorate, budget holder, the threshold it is over (90 or 120) and the decision deadline."""
    review = policy.review
    decide_by = add_working_days(listed_on, review.decide_within_working_days)
    entries = []
    for candidate in candidates:
        days = (listed_on - candidate.oldest_unpaid_due).days
        if (
            candidate.outstanding_pence <= 0
            or days <= review.listing_threshold
            or candidate.debt_type not in review.debt_types
        ):
            continue
        directorate = directorate_of(policy, candidate.debt_type, candidate.income_code)
        entries.append(
            ReviewEntry(
                review_month=review_month_of(listed_on),
                debt_id=candidate.debt_id,
                debt_type=candidate.debt_type,
                income_code=candidate.income_code,
                directorate=directorate.name if directorate else UNASSIGNED,
                budget_holder=directorate.budget_holder if directorate else UNASSIGNED,
                days_past_due=days,
                over_days=review.over_days(days),
                outstanding_pence=candidate.outstanding_pence,
                listed_on=listed_on,
                decide_by=decide_by,
            )
        )
    return entries


def roles_that_may_decide(policy: ManagementInformationPolicy, directorate: str) -> frozenset[str]:
    """A senior officer may record any decision; a budget holder only for their own directorate's debts."""
    owner = policy.directorate_named(directorate)
    roles = {str(Role.SENIOR_OFFICER)}
    if owner is not None and owner.budget_holder_role:
        roles.add(owner.budget_holder_role)
    return frozenset(roles)


def budget_holder_roles(policy: ManagementInformationPolicy) -> tuple[str, ...]:
    """Every configured budget holder role (they may see and decide their reviews)."""
    return tuple(sorted({d.budget_holder_role for d in policy.directorates if d.budget_holder_role}))


WHOLE_REVIEW_READERS: frozenset[str] = frozenset(
    {str(Role.REVENUES_OFFICER), str(Role.SENIOR_OFFICER), str(Role.AUDITOR)}
)
"""Finance and audit read every directorate's review (Sundry 3.1: finance reports on all income)."""


def directorates_seen_by(policy: ManagementInformationPolicy, roles: Iterable[str]) -> frozenset[str] | None:
    """Which directorates' reviews a person reads: every one (None) for revenues and senior officers and
    auditors; otherwise only those whose budget holder role they hold, since each budget holder reviews the
    debts they own (Sundry 3.2, 10.1; NELC 5.20), and none for anyone else."""
    held = frozenset(roles)
    if not WHOLE_REVIEW_READERS.isdisjoint(held):
        return None
    return frozenset(d.name for d in policy.directorates if d.budget_holder_role in held)
