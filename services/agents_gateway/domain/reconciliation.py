"""Reconciling what the council sent and posted against what agents report, as pure functions over snapshots.

Three checks the council runs on its agents:
- placements the agent has not acknowledged after a configurable number of days;
- payments the agent reports against payments billing posted (matched by the agent's payment reference);
- cases the council recalled on which the agent still reports activity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.agents_gateway.domain.records import AnyRecord, record_date
from shared.money import Pence
from shared.working_days import working_days_between


@dataclass(frozen=True)
class PlacementSent:
    """A case the council placed with an agent, as recorded when the file went out."""

    case_reference: str
    agent: str
    placed_on: date


def unacknowledged_placements(
    placements: Iterable[PlacementSent],
    acknowledged_or_rejected: Iterable[str],
    as_of: date,
    after_days: int,
    count_working_days: bool = False,
) -> list[PlacementSent]:
    """Placements with neither acknowledgement nor rejection more than `after_days` days after `placed_on`.

    Days are calendar days unless `count_working_days`, when only England and Wales working days count.
    """
    answered = set(acknowledged_or_rejected)
    overdue: list[PlacementSent] = []
    for placement in placements:
        if placement.case_reference in answered:
            continue
        elapsed = (
            working_days_between(placement.placed_on, as_of)
            if count_working_days
            else (as_of - placement.placed_on).days
        )
        if elapsed > after_days:
            overdue.append(placement)
    return sorted(overdue, key=lambda placement: (placement.placed_on, placement.case_reference))


@dataclass(frozen=True)
class AgentReportedPayment:
    """A payment an agent said it collected (from a payment_collected record)."""

    agent: str
    payment_reference: str
    case_reference: str
    amount_pence: Pence
    collected_on: date


@dataclass(frozen=True)
class PostedAgentPayment:
    """A payment billing posted to a debt, with the agent's payment reference it came in under."""

    agent: str
    payment_reference: str
    case_reference: str
    amount_pence: Pence
    posted_on: date


@dataclass(frozen=True)
class PaymentMismatch:
    """Reported and posted under the same reference, but for a different amount or case."""

    reported: AgentReportedPayment
    posted: PostedAgentPayment


@dataclass
class PaymentReconciliation:
    """The result of matching agent-reported payments with posted ones."""

    matched: list[tuple[AgentReportedPayment, PostedAgentPayment]] = field(default_factory=list)
    reported_not_posted: list[AgentReportedPayment] = field(default_factory=list)
    posted_not_reported: list[PostedAgentPayment] = field(default_factory=list)
    mismatched: list[PaymentMismatch] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """True when every payment appears on both sides, the same."""
        return not (self.reported_not_posted or self.posted_not_reported or self.mismatched)

    @property
    def reported_total_pence(self) -> Pence:
        """All money agents say they collected in the snapshot."""
        return (
            sum(payment.amount_pence for payment, _ in self.matched)
            + sum(payment.amount_pence for payment in self.reported_not_posted)
            + sum(mismatch.reported.amount_pence for mismatch in self.mismatched)
        )


def reconcile_agent_payments(
    reported: Iterable[AgentReportedPayment],
    posted: Iterable[PostedAgentPayment],
    posting_lag_days: int = 0,
    as_of: date | None = None,
) -> PaymentReconciliation:
    """Match payments by (agent, payment reference).

    With `as_of` and `posting_lag_days`, a reported payment collected within the lag is not yet expected to be
    posted and is left out of `reported_not_posted`.
    """
    posted_by_key = {(payment.agent, payment.payment_reference): payment for payment in posted}
    result = PaymentReconciliation()
    seen: set[tuple[str, str]] = set()
    for payment in reported:
        key = (payment.agent, payment.payment_reference)
        seen.add(key)
        match = posted_by_key.get(key)
        if match is None:
            recent = as_of is not None and payment.collected_on > as_of - timedelta(days=posting_lag_days)
            if not recent:
                result.reported_not_posted.append(payment)
        elif match.amount_pence != payment.amount_pence or match.case_reference != payment.case_reference:
            result.mismatched.append(PaymentMismatch(payment, match))
        else:
            result.matched.append((payment, match))
    result.posted_not_reported = [payment for key, payment in posted_by_key.items() if key not in seen]
    return result


@dataclass(frozen=True)
class AgentActivity:
    """Something an agent reported doing on a case, with the date it says it happened."""

    agent: str
    case_reference: str
    record_kind: str
    occurred_on: date


def agent_activity(agent: str, records: Iterable[AnyRecord]) -> list[AgentActivity]:
    """Activity items from the records of an inbound file (every record with a case and a date)."""
    activity: list[AgentActivity] = []
    for record in records:
        case_reference = getattr(record, "case_reference", None)
        occurred_on = record_date(record)
        if case_reference is not None and occurred_on is not None:
            activity.append(AgentActivity(agent, case_reference, record.kind, occurred_on))
    return activity


# Reporting the return of a recalled case, or saying it was never taken, is what the council asked for.
_ANSWERS_TO_A_RECALL = frozenset({"case_returned", "placement_rejected"})


def activity_after_recall(
    recalled_on: Mapping[str, date], activity: Iterable[AgentActivity], grace_days: int = 0
) -> list[AgentActivity]:
    """Activity an agent reports on a case more than `grace_days` after the council recalled it.

    `recalled_on` maps case reference to recall date. Returning the case is the expected answer and is not
    flagged; payments, fees, stage moves and arrangements after the recall are.
    """
    flagged: list[AgentActivity] = []
    for item in activity:
        recall_date = recalled_on.get(item.case_reference)
        if recall_date is None or item.record_kind in _ANSWERS_TO_A_RECALL:
            continue
        if item.occurred_on > recall_date + timedelta(days=grace_days):
            flagged.append(item)
    return flagged
