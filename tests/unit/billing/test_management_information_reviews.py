"""The monthly budget-holder review (Sundry 10.1-10.2, NELC 5.21): who is listed, the 10-working-day deadline
on the England and Wales calendar, overdue and late decisions, and who may decide."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import uuid4

from services.billing.management_information.policy import policy_from_mapping
from services.billing.management_information.reviews import (
    BudgetHolderDecision,
    ReviewCandidate,
    ReviewStatus,
    budget_holder_roles,
    monthly_listing,
    roles_that_may_decide,
)
from shared.debt_types import DebtType

PERCENT = {"not_yet_due": "0", "0-30": "0", "31-60": "5", "61-90": "10", "91-120": "25", "over_120": "50"}
POLICY = policy_from_mapping(
    "test",
    {
        "bad_debt_provision_percent": PERCENT,
        "directorates": [
            {
                "name": "Place",
                "budget_holder": "Head of Environment",
                "budget_holder_role": "budget_holder_place",
                "income_codes": ["ENV100"],
            }
        ],
    },
)
FRIDAY_1_MAY = date(2026, 5, 1)


def candidate(oldest_due, outstanding=100_00, income_code="ENV100"):
    return ReviewCandidate(uuid4(), DebtType.SUNDRY, income_code, oldest_due, outstanding)


def test_debts_more_than_90_days_past_due_are_listed_with_the_threshold_they_are_over():
    """On 1 May 2026: due 31 January is 90 days (not more), 30 January is 91 (over 90), 31 December 121
    (over 120); a debt with nothing unpaid is never listed."""
    ninety, ninety_one, one_twenty_one, paid = (
        candidate(date(2026, 1, 31)),
        candidate(date(2026, 1, 30)),
        candidate(date(2025, 12, 31), income_code="LEI300"),
        candidate(date(2025, 12, 1), outstanding=0),
    )
    entries = monthly_listing([ninety, ninety_one, one_twenty_one, paid], POLICY, FRIDAY_1_MAY)
    assert [(e.debt_id, e.days_past_due, e.over_days) for e in entries] == [
        (ninety_one.debt_id, 91, 90),
        (one_twenty_one.debt_id, 121, 120),
    ]
    assert (entries[0].directorate, entries[0].budget_holder) == ("Place", "Head of Environment")
    assert (entries[1].directorate, entries[1].budget_holder) == ("unassigned", "unassigned")
    assert {e.review_month for e in entries} == {date(2026, 5, 1)}


def test_the_decision_is_due_ten_working_days_after_the_listing_skipping_the_bank_holiday():
    """Listed Friday 1 May 2026: Monday 4 May is the early May bank holiday, so the ten working days are 5-8,
    11-15 and 18 May (without the holiday it would be 15 May)."""
    [entry] = monthly_listing([candidate(date(2026, 1, 1))], POLICY, FRIDAY_1_MAY)
    assert entry.decide_by == date(2026, 5, 18)


def test_a_review_is_awaiting_until_the_deadline_then_overdue_and_a_late_decision_is_marked_late():
    [entry] = monthly_listing([candidate(date(2026, 1, 1))], POLICY, FRIDAY_1_MAY)
    assert entry.status_on(date(2026, 5, 18)) is ReviewStatus.AWAITING_DECISION
    assert entry.status_on(date(2026, 5, 19)) is ReviewStatus.OVERDUE
    on_time = replace(entry, decision=BudgetHolderDecision.WRITE_OFF_REQUEST, decided_on=date(2026, 5, 18))
    late = replace(entry, decision=BudgetHolderDecision.ARRANGEMENT, decided_on=date(2026, 5, 19))
    assert on_time.status_on(date(2026, 6, 1)) is ReviewStatus.DECIDED
    assert late.status_on(date(2026, 6, 1)) is ReviewStatus.DECIDED_LATE


def test_a_senior_officer_decides_anything_a_budget_holder_only_for_their_directorate():
    assert roles_that_may_decide(POLICY, "Place") == {"senior_officer", "budget_holder_place"}
    assert roles_that_may_decide(POLICY, "unassigned") == {"senior_officer"}
    assert "revenues_officer" not in roles_that_may_decide(POLICY, "Place")
    assert budget_holder_roles(POLICY) == ("budget_holder_place",)


def test_a_council_may_list_at_other_ages_and_give_other_deadlines():
    """Listing only over 120 days, with 5 working days: due 30 January (91 days) is not listed, 31 December
    (121) is, due Monday 11 May (5-8 and 11 May: the bank holiday on 4 May does not count)."""
    policy = policy_from_mapping(
        "own",
        {
            "bad_debt_provision_percent": PERCENT,
            "review": {"listed_over_days": [120], "decide_within_working_days": 5},
        },
    )
    entries = monthly_listing(
        [candidate(date(2026, 1, 30)), candidate(date(2025, 12, 31))], policy, FRIDAY_1_MAY
    )
    assert [(e.days_past_due, e.over_days, e.decide_by) for e in entries] == [(121, 120, date(2026, 5, 11))]


def test_council_tax_and_rates_are_not_listed_to_budget_holders_unless_the_council_says_so():
    """Statute fixes their recovery and they have no budget holder; a council listing only sundry debt says so."""
    old_tax = ReviewCandidate(uuid4(), DebtType.COUNCIL_TAX, "CT01", date(2025, 12, 1), 500_00)
    old_rent = ReviewCandidate(uuid4(), DebtType.COMMERCIAL_PROPERTY_RENT, "EST1", date(2025, 12, 1), 900_00)
    old_sundry = candidate(date(2025, 12, 1))
    listed = monthly_listing([old_tax, old_rent, old_sundry], POLICY, FRIDAY_1_MAY)
    assert {e.debt_id for e in listed} == {old_rent.debt_id, old_sundry.debt_id}
    only_sundry = policy_from_mapping(
        "own", {"bad_debt_provision_percent": PERCENT, "review": {"debt_types": ["sundry"]}}
    )
    assert [
        e.debt_id for e in monthly_listing([old_tax, old_rent, old_sundry], only_sundry, FRIDAY_1_MAY)
    ] == [old_sundry.debt_id]


def test_a_budget_holder_reads_only_their_own_directorate_s_review_finance_and_audit_every_one():
    from services.billing.management_information.reviews import directorates_seen_by

    assert directorates_seen_by(POLICY, {"budget_holder_place"}) == {"Place"}
    assert directorates_seen_by(POLICY, {"budget_holder_operations"}) == frozenset()
    for whole in ("revenues_officer", "senior_officer", "auditor"):
        assert directorates_seen_by(POLICY, {whole, "budget_holder_place"}) is None


def test_a_budget_holder_role_is_named_for_its_directorate_so_the_workbench_knows_a_budget_holder():
    import pytest

    from services.billing.management_information.policy import BUDGET_HOLDER_ROLE_PREFIX
    from services.workbench.domain import permissions

    assert permissions.BUDGET_HOLDER_ROLE_PREFIX == BUDGET_HOLDER_ROLE_PREFIX
    for wrong in ("place_budget_holder", "budget_holder_"):
        with pytest.raises(ValueError, match="budget_holder_<directorate>"):
            policy_from_mapping(
                "test",
                {
                    "bad_debt_provision_percent": PERCENT,
                    "directorates": [{"name": "Place", "budget_holder_role": wrong}],
                },
            )
