"""Reconciling placements, payments and recalls with what agents report."""

from __future__ import annotations

from datetime import date

from services.agents_gateway.domain.reconciliation import (
    AgentActivity,
    AgentReportedPayment,
    PlacementSent,
    PostedAgentPayment,
    activity_after_recall,
    agent_activity,
    reconcile_agent_payments,
    unacknowledged_placements,
)
from services.agents_gateway.domain.records import CaseReturned, ReturnReason

from .conftest import payment


def test_a_placement_unacknowledged_after_the_configured_days_is_listed() -> None:
    placements = [
        PlacementSent("CT-1", "BRISTOW", date(2024, 5, 1)),
        PlacementSent("CT-2", "BRISTOW", date(2024, 5, 1)),
        PlacementSent("CT-3", "BRISTOW", date(2024, 5, 5)),
    ]
    overdue = unacknowledged_placements(placements, {"CT-2"}, as_of=date(2024, 5, 7), after_days=5)
    assert [placement.case_reference for placement in overdue] == ["CT-1"]


def test_a_placement_is_not_overdue_on_the_last_allowed_day() -> None:
    placements = [PlacementSent("CT-1", "BRISTOW", date(2024, 5, 1))]
    assert unacknowledged_placements(placements, set(), as_of=date(2024, 5, 6), after_days=5) == []
    assert len(unacknowledged_placements(placements, set(), as_of=date(2024, 5, 7), after_days=5)) == 1


def test_working_days_skip_the_weekend_and_bank_holiday() -> None:
    # Placed Friday 3 May 2024; Monday 6 May is the early May bank holiday.
    placements = [PlacementSent("CT-1", "BRISTOW", date(2024, 5, 3))]
    assert unacknowledged_placements(placements, set(), date(2024, 5, 9), 3, count_working_days=True) == []
    assert (
        len(unacknowledged_placements(placements, set(), date(2024, 5, 10), 3, count_working_days=True)) == 1
    )


def _reported(
    reference: str, amount: int, case: str = "CT-1", on: date = date(2024, 5, 1)
) -> AgentReportedPayment:
    return AgentReportedPayment("BRISTOW", reference, case, amount, on)


def _posted(reference: str, amount: int, case: str = "CT-1") -> PostedAgentPayment:
    return PostedAgentPayment("BRISTOW", reference, case, amount, date(2024, 5, 2))


def test_agent_payments_are_matched_to_posted_payments_by_reference() -> None:
    result = reconcile_agent_payments(
        [_reported("P1", 10_00), _reported("P2", 20_00), _reported("P3", 30_00)],
        [_posted("P1", 10_00), _posted("P2", 25_00), _posted("P9", 5_00)],
    )
    assert [reported.payment_reference for reported, _ in result.matched] == ["P1"]
    assert [mismatch.reported.payment_reference for mismatch in result.mismatched] == ["P2"]
    assert [payment.payment_reference for payment in result.reported_not_posted] == ["P3"]
    assert [payment.payment_reference for payment in result.posted_not_reported] == ["P9"]
    assert not result.balanced
    assert result.reported_total_pence == 60_00


def test_payments_matching_on_both_sides_balance() -> None:
    result = reconcile_agent_payments([_reported("P1", 10_00)], [_posted("P1", 10_00)])
    assert result.balanced


def test_a_payment_collected_within_the_posting_lag_is_not_yet_missing() -> None:
    recent = _reported("P1", 10_00, on=date(2024, 5, 10))
    old = _reported("P2", 10_00, on=date(2024, 5, 1))
    result = reconcile_agent_payments([recent, old], [], posting_lag_days=2, as_of=date(2024, 5, 11))
    assert result.reported_not_posted == [old]


def test_activity_reported_after_a_recall_is_flagged_but_the_return_is_not() -> None:
    records = [
        payment("CT-1", 10_00),  # collected 1 May
        CaseReturned(
            case_reference="CT-1",
            returned_on=date(2024, 5, 3),
            reason=ReturnReason.GONE_AWAY,
            balance_remaining_pence=0,
        ),
        payment("CT-2", 10_00),
    ]
    activity = agent_activity("BRISTOW", records)
    flagged = activity_after_recall({"CT-1": date(2024, 4, 30)}, activity)
    assert [(item.case_reference, item.record_kind) for item in flagged] == [("CT-1", "payment_collected")]


def test_activity_on_the_recall_date_or_within_grace_is_not_flagged() -> None:
    activity = [
        AgentActivity("BRISTOW", "CT-1", "status_update", date(2024, 5, 1)),
        AgentActivity("BRISTOW", "CT-1", "fee_charged", date(2024, 5, 2)),
    ]
    assert activity_after_recall({"CT-1": date(2024, 5, 1)}, activity, grace_days=1) == []
    assert len(activity_after_recall({"CT-1": date(2024, 5, 1)}, activity)) == 1
