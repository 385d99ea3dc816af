"""Properties of the step engine that every policy must keep."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.step_engine import advance, next_step, schedule_next_step, timetable_rows

from .timetable_walk import shipped_books, walk

POLICIES = [policy for book in shipped_books().values() for policy in book.policies if policy.steps]


@settings(max_examples=60, deadline=None)
@given(
    policy=st.sampled_from(POLICIES),
    due=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    defaults=st.integers(min_value=1, max_value=4),
    balance=st.integers(min_value=1, max_value=10_000_000),
)
def test_steps_come_in_timetable_order_never_two_a_day_and_never_before_their_time(
    policy, due, defaults, balance
):
    case = RecoveryCaseState(
        "p1", policy.debt_type, due, balance, defaults_count=defaults, group=policy.group
    )
    done, taken = walk(policy, case, due, due + timedelta(days=500))
    dates = [day for _, day in taken]
    assert dates == sorted(set(dates))
    indices = [policy.index_of(name) for name, _ in taken]
    assert indices == sorted(indices)
    for step in done.steps_taken:
        rule = policy.step_named(step.name)
        assert rule.conditions.hold_for(defaults, balance, True)
    assert done.balance == balance + sum(step.costs for step in done.steps_taken)


@settings(max_examples=60, deadline=None)
@given(
    policy=st.sampled_from(POLICIES),
    due=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    offset=st.integers(min_value=0, max_value=400),
)
def test_the_stored_eligible_from_date_agrees_with_the_daily_decision(policy, due, offset):
    case = RecoveryCaseState("p2", policy.debt_type, due, 50_000, group=policy.group)
    case, _ = walk(policy, case, due, due + timedelta(days=offset))
    scheduled = schedule_next_step(policy, case)
    day = due + timedelta(days=offset + 1)
    decision = next_step(policy, case, day)
    if scheduled is None:
        assert decision.step is None
    else:
        assert decision.step == scheduled.step
        assert decision.is_due == (scheduled.eligible_from <= day)
        again, _ = advance(policy, advance(policy, case, day)[0], day)
        assert again == advance(policy, case, day)[0]


def test_the_timetable_rows_carry_what_the_set_based_run_needs():
    policy = shipped_books()["derby"].policy_for(DebtType.COUNCIL_TAX)
    rows = timetable_rows(policy)
    assert [row["step_index"] for row in rows] == list(range(len(policy.steps)))
    final = next(row for row in rows if row["kind"] == "final_notice")
    assert final["min_defaults"] == 3 and final["anchor"] == "due_date"
    assert next(row for row in rows if row["kind"] == "summons")["costs"] > 0
