"""Holds on recovery (DOMAIN.md 5, 7): breathing space, dispute, appeal, vulnerability, hardship, manual.

Every hold has a reason, who authorised it, its start, and an end or a review date. A held case takes no step
and sends no contact; a dispute over part of the balance holds only that part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from shared.money import Pence

# A standard breathing space lasts 60 days (Debt Respite Scheme Regulations 2020).
STANDARD_BREATHING_SPACE_DAYS = 60
# A mental health crisis breathing space lasts the crisis treatment plus 30 days.
MENTAL_HEALTH_CRISIS_EXTRA_DAYS = 30
# Disputes are resolved within 30 days (NELC 2.8, 5.21) unless the policy says otherwise.
DISPUTE_RESOLUTION_DAYS = 30


class HoldKind(StrEnum):
    """Why recovery is paused."""

    BREATHING_SPACE = "breathing_space"
    MENTAL_HEALTH_CRISIS_BREATHING_SPACE = "mental_health_crisis_breathing_space"
    DISPUTE = "dispute"
    APPEAL = "appeal"
    VULNERABILITY = "vulnerability"
    HARDSHIP_DEFERRAL = "hardship_deferral"
    MANUAL = "manual"


BREATHING_SPACE_KINDS: frozenset[HoldKind] = frozenset(
    {HoldKind.BREATHING_SPACE, HoldKind.MENTAL_HEALTH_CRISIS_BREATHING_SPACE}
)


class HoldError(ValueError):
    """A hold that lacks what every hold must carry."""


@dataclass(frozen=True)
class Hold:
    """A pause on recovery: active from `start` through `end` (inclusive) or, without an end, until lifted.

    `review_on` is when an officer must look at it again; a hold past its review date stays in force until
    lifted, because only a person may decide to resume. `disputed_amount` (disputes only) is the part of the
    balance held; None means the whole balance.
    """

    kind: HoldKind
    reason: str
    authorised_by: str
    start: date
    end: date | None = None
    review_on: date | None = None
    lifted_on: date | None = None
    disputed_amount: Pence | None = None
    reference: str = ""
    # Breathing space (HeldDebtScope): sums falling due after this day are ongoing liabilities, not frozen (None:
    # the whole debt is held); on a joint debt, who else is liable, what the council's policy allows against
    # them, and why (recorded with every action on the debt).
    ongoing_after: date | None = None
    other_liable_customer_ids: tuple[UUID, ...] = ()
    other_parties_policy: str | None = None
    other_parties_why: str | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise HoldError("a hold needs a reason")
        if not self.authorised_by.strip():
            raise HoldError("a hold needs the name of who authorised it")
        if self.end is None and self.review_on is None:
            raise HoldError("a hold needs an end date or a review date")
        if self.end is not None and self.end < self.start:
            raise HoldError("a hold cannot end before it starts")
        if self.disputed_amount is not None and (
            self.kind is not HoldKind.DISPUTE or self.disputed_amount < 0
        ):
            raise HoldError("only a dispute holds part of a balance, and never a negative part")

    @property
    def is_breathing_space(self) -> bool:
        """True for either kind of breathing space moratorium."""
        return self.kind in BREATHING_SPACE_KINDS

    def last_day(self) -> date | None:
        """The last day the hold is in force, when known."""
        ends = [d for d in (self.end, self.lifted_on - timedelta(days=1) if self.lifted_on else None) if d]
        return min(ends) if ends else None

    def is_active_on(self, day: date) -> bool:
        """True when the hold is in force on `day`."""
        last = self.last_day()
        return self.start <= day and (last is None or day <= last)

    def needs_review_on(self, day: date) -> bool:
        """True when the hold is still in force and its review date has come."""
        return self.review_on is not None and self.review_on <= day and self.is_active_on(day)

    def holds_whole_balance(self, balance: Pence) -> bool:
        """True when the hold stops recovery of everything owed (any hold but a part dispute)."""
        return self.disputed_amount is None or self.disputed_amount >= balance

    def lifted(self, on: date) -> Hold:
        """The same hold lifted on `on` (in force up to the day before)."""
        return replace(self, lifted_on=on)


def breathing_space_hold(start: date, reference: str, authorised_by: str = "Insolvency Service") -> Hold:
    """A standard breathing space: 60 days from the moratorium's start, whenever the council hears of it."""
    return Hold(
        kind=HoldKind.BREATHING_SPACE,
        reason="Standard breathing space moratorium",
        authorised_by=authorised_by,
        start=start,
        end=start + timedelta(days=STANDARD_BREATHING_SPACE_DAYS),
        reference=reference,
    )


def mental_health_crisis_hold(
    start: date, reference: str, review_on: date, authorised_by: str = "Insolvency Service"
) -> Hold:
    """A mental health crisis breathing space: open-ended until the crisis treatment ends (then +30 days)."""
    return Hold(
        kind=HoldKind.MENTAL_HEALTH_CRISIS_BREATHING_SPACE,
        reason="Mental health crisis breathing space moratorium",
        authorised_by=authorised_by,
        start=start,
        review_on=review_on,
        reference=reference,
    )


def end_mental_health_crisis(hold: Hold, treatment_ended_on: date) -> Hold:
    """The crisis hold once treatment has ended: in force for 30 more days."""
    if hold.kind is not HoldKind.MENTAL_HEALTH_CRISIS_BREATHING_SPACE:
        raise HoldError("only a mental health crisis breathing space ends with the crisis treatment")
    return Hold(
        kind=hold.kind,
        reason=hold.reason,
        authorised_by=hold.authorised_by,
        start=hold.start,
        end=treatment_ended_on + timedelta(days=MENTAL_HEALTH_CRISIS_EXTRA_DAYS),
        review_on=hold.review_on,
        reference=hold.reference,
    )


def dispute_hold(
    start: date,
    reason: str,
    authorised_by: str,
    disputed_amount: Pence | None = None,
    resolution_days: int = DISPUTE_RESOLUTION_DAYS,
) -> Hold:
    """A dispute over all (None) or part of the debt; the originating service must resolve it by the review date."""
    return Hold(
        kind=HoldKind.DISPUTE,
        reason=reason,
        authorised_by=authorised_by,
        start=start,
        review_on=start + timedelta(days=resolution_days),
        disputed_amount=disputed_amount,
    )


def appeal_hold(start: date, reason: str, authorised_by: str, review_on: date) -> Hold:
    """An appeal against the decision that created the debt (e.g. a housing benefit overpayment, RBWM 9)."""
    return Hold(HoldKind.APPEAL, reason, authorised_by, start, review_on=review_on)


def vulnerability_hold(start: date, reason: str, authorised_by: str, review_on: date) -> Hold:
    """A pause while a vulnerable debtor's circumstances are looked at (Derby 9)."""
    return Hold(HoldKind.VULNERABILITY, reason, authorised_by, start, review_on=review_on)


def hardship_deferral(start: date, end: date, reason: str, authorised_by: str) -> Hold:
    """Payment deferred for hardship until `end` (NELC 3.6)."""
    return Hold(HoldKind.HARDSHIP_DEFERRAL, reason, authorised_by, start, end=end)


def manual_hold(start: date, reason: str, officer: str, review_on: date) -> Hold:
    """A recovery hold authorised by a named officer (e.g. the head of the originating service, RBWM 7)."""
    return Hold(HoldKind.MANUAL, reason, officer, start, review_on=review_on)


def holds_stopping_recovery(holds: tuple[Hold, ...], day: date, balance: Pence) -> tuple[Hold, ...]:
    """The holds in force on `day` that stop recovery of the whole balance."""
    return tuple(hold for hold in holds if hold.is_active_on(day) and hold.holds_whole_balance(balance))


def recovery_resumes_on(holds: tuple[Hold, ...], day: date, balance: Pence) -> date | None:
    """The first day from `day` on which no hold stops recovery of the whole balance: `day` itself when none does
    today; None while a hold in force has no known last day (it waits to be lifted, or a breathing space to be
    ended). A hold that ends by its own date (a hardship deferral, a lift dated ahead) is followed by the day
    after it, or by the end of another hold that overlaps it."""
    resumes = day
    for _ in range(len(holds) + 1):  # each turn passes the last day of at least one hold
        stopping = holds_stopping_recovery(holds, resumes, balance)
        if not stopping:
            return resumes
        last_days = [hold.last_day() for hold in stopping]
        if any(last is None for last in last_days):
            return None
        resumes = max(last for last in last_days if last is not None) + timedelta(days=1)
    return resumes


def recovery_next_stopped_on(holds: tuple[Hold, ...], day: date, balance: Pence) -> date | None:
    """The first day from `day` on which a hold stops recovery of the whole balance: `day` while one is in force,
    the start of one entered ahead of its start (an appeal hold from next Monday), None when no hold is ahead."""
    days = []
    for hold in holds:
        first = max(hold.start, day)
        last = hold.last_day()
        if hold.holds_whole_balance(balance) and (last is None or first <= last):
            days.append(first)
    return min(days, default=None)


def undisputed_balance(holds: tuple[Hold, ...], day: date, balance: Pence) -> Pence:
    """The part of the balance still to be collected on `day` while part of it is disputed."""
    disputed = sum(
        hold.disputed_amount
        for hold in holds
        if hold.kind is HoldKind.DISPUTE and hold.disputed_amount is not None and hold.is_active_on(day)
    )
    return max(balance - disputed, 0)


def overdue_disputes(holds: tuple[Hold, ...], day: date) -> tuple[Hold, ...]:
    """Disputes still open after their resolution date: to be chased with the originating service."""
    return tuple(hold for hold in holds if hold.kind is HoldKind.DISPUTE and hold.needs_review_on(day))
