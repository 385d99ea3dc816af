"""The council's own rights as a creditor under the Debt Respite Scheme (Breathing Space Moratorium and Mental
Health Crisis Moratorium) (England and Wales) Regulations 2020, and their deadlines (fixed by the regulations, not
settings).

- Reg 17: a creditor may ask the debt adviser to review the moratorium, for some or all of the moratorium debts,
  on the grounds that it unfairly prejudices the creditor's interests (17(1)(a)) or that there has been a material
  irregularity (17(1)(b)): the debtor did not meet the eligibility criteria when they applied (17(2)(a)), a
  moratorium debt is not a qualifying debt (17(2)(b)), or the debtor has sufficient funds to pay their debt as it
  falls due (17(2)(c)). The request must be made within 20 days beginning with the day the moratorium started
  (17(3)); for a debt added later, within 20 days beginning with the day the moratorium took effect for it
  (17(4)). The request sets out its grounds with the evidence for them.
- Reg 19: where the review does not cancel the moratorium, the creditor may apply to the county court to cancel
  it, within 50 days beginning with the day the moratorium started (or took effect for an added debt).

"Within N days beginning with" the day counts that day as the first: the last day is start + N - 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

REVIEW_REQUEST_DAYS = 20
"""Reg 17(3)."""
COURT_APPLICATION_DAYS = 50
"""Reg 19."""


class ReviewGround(StrEnum):
    """The grounds a review request may give (reg 17(1) and (2))."""

    UNFAIR_PREJUDICE = "unfair_prejudice"
    """17(1)(a): the moratorium unfairly prejudices the interests of the creditor."""
    DEBTOR_NOT_ELIGIBLE = "debtor_not_eligible_when_applied"
    """17(2)(a): the debtor did not meet the eligibility criteria when the application was made."""
    NOT_A_QUALIFYING_DEBT = "not_a_qualifying_debt"
    """17(2)(b): a moratorium debt is not a qualifying debt."""
    SUFFICIENT_FUNDS = "debtor_has_sufficient_funds"
    """17(2)(c): the debtor has sufficient funds to discharge or liquidate their debt as it falls due."""


REGULATION_OF: dict[ReviewGround, str] = {
    ReviewGround.UNFAIR_PREJUDICE: "17(1)(a)",
    ReviewGround.DEBTOR_NOT_ELIGIBLE: "17(1)(b), 17(2)(a)",
    ReviewGround.NOT_A_QUALIFYING_DEBT: "17(1)(b), 17(2)(b)",
    ReviewGround.SUFFICIENT_FUNDS: "17(1)(b), 17(2)(c)",
}


def last_day_within(days: int, beginning_with: date) -> date:
    """The last day of a period of `days` days beginning with `beginning_with` (that day is the first)."""
    return beginning_with + timedelta(days=days - 1)


def review_request_deadline(took_effect_on: date) -> date:
    """The last day the council may ask for a review (reg 17(3); for an added debt, from the day the moratorium
    took effect for it, 17(4))."""
    return last_day_within(REVIEW_REQUEST_DAYS, took_effect_on)


def court_application_deadline(took_effect_on: date) -> date:
    """The last day the council may apply to the county court to cancel the moratorium (reg 19)."""
    return last_day_within(COURT_APPLICATION_DAYS, took_effect_on)


@dataclass(frozen=True)
class Deadline:
    """A deadline as the status view shows it."""

    last_day: date
    days_left: int
    """Days from today to the last day (0: today is the last day; negative: passed)."""
    passed: bool


def deadline_on(last_day: date, today: date) -> Deadline:
    """Where a deadline stands on `today`."""
    left = (last_day - today).days
    return Deadline(last_day=last_day, days_left=left, passed=left < 0)


@dataclass(frozen=True)
class ReviewRequestRefusal:
    """Why a review request cannot be sent."""

    reason: str


def check_review_request(
    *,
    grounds: Sequence[ReviewGround],
    evidence_references: Sequence[str],
    took_effect_on: date,
    today: date,
) -> ReviewRequestRefusal | None:
    """A review request must give at least one ground and the evidence for it, and be made within its 20 days
    (17(3), 17(4)); None when it may be sent."""
    if not grounds:
        return ReviewRequestRefusal("a review request gives at least one ground of regulation 17")
    if not [e for e in evidence_references if e.strip()]:
        return ReviewRequestRefusal("a review request gives the evidence for its grounds (regulation 17)")
    deadline = review_request_deadline(took_effect_on)
    if today > deadline:
        return ReviewRequestRefusal(
            f"the 20 days for a review request (regulation 17) ended on {deadline.isoformat()}"
        )
    return None
