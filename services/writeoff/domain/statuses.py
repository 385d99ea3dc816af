"""Where a write-off request and a schedule stand in their life, and which of those states await a decision.

"Only one request per debt may await a decision at a time" is decided here; the request store asks the same
question of many debts at once in SQL (`RequestStore.awaiting_decision_by_debt`), from these same statuses,
and an integration test shows the two agree.
"""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    """A write-off request from the moment it is heard to its outcome."""

    AWAITING_DEBT = "awaiting_debt"  # heard before billing described the debt
    PENDING = "pending"  # checked and ready for a schedule
    SCHEDULED = "scheduled"  # a line of a schedule awaiting its decision
    APPROVED = "approved"
    REJECTED = "rejected"


# A request in one of these states is still to be decided: no second request for its debt may join it.
REQUEST_STATUSES_AWAITING_DECISION: frozenset[RequestStatus] = frozenset(
    {RequestStatus.PENDING, RequestStatus.SCHEDULED}
)


def request_awaits_decision(status: str) -> bool:
    """True while a request in this state is still to be decided (so it blocks another for the same debt)."""
    return status in REQUEST_STATUSES_AWAITING_DECISION


class ScheduleStatus(StrEnum):
    """A write-off schedule from its building to its decision."""

    AWAITING_DECISION = "awaiting_decision"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


def schedule_awaits_decision(status: str) -> bool:
    """True while a schedule can still be amended, signed or decided by a committee."""
    return status == ScheduleStatus.AWAITING_DECISION
