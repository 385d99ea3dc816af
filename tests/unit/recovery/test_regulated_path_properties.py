"""Properties of the regulated path: for random instalment schedules, payment dates and arrival orders of billing's
events (the schedule or instalment-due events, payments) against the daily run, the steps taken are the same; and no summons is ever issued while nothing has become
payable and stayed unpaid."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.recovery.domain.instalments import Instalment, InstalmentLedger, InstalmentPayment
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_path import (
    IssuedNotice,
    RegulatedTerms,
    next_regulated_step,
    regulated_timetable,
)

YEAR_START = date(2026, 4, 1)
LAST_DAY = date(2027, 4, 30)
TERMS = st.sampled_from(
    [
        RegulatedTerms(reminder_days=30, second_reminder_days=45, final_notice_days=30, summons_days=14),
        RegulatedTerms(reminder_days=30, reminders_in_year=1, final_notice_days=30, summons_days=14),
        RegulatedTerms(reminder_days=1, second_reminder_days=1, final_notice_days=1, summons_days=0),
    ]
)


@st.composite
def accounts(draw):
    """A schedule of monthly instalments and payments, each event with when it arrives relative to the run."""
    count = draw(st.integers(min_value=1, max_value=10))
    amounts = draw(st.lists(st.integers(min_value=100, max_value=50_000), min_size=count, max_size=count))
    schedule = [
        Instalment(n + 1, date(2026 + (3 + n) // 12, (3 + n) % 12 + 1, 1), amount)
        for n, amount in enumerate(amounts)
    ]
    payments = []
    for n, instalment in enumerate(schedule):
        if draw(st.booleans()):
            offset = draw(st.integers(min_value=-5, max_value=60))
            part = draw(st.sampled_from([instalment.amount, instalment.amount * 2, instalment.amount // 2]))
            named = draw(st.sampled_from([instalment.number, None]))
            payments.append(
                InstalmentPayment(f"p{n}", instalment.due_date + timedelta(days=offset), part, named)
            )
    # Each payment arrives before the run of its day, after it, or before the next day's run.
    arrival = [draw(st.sampled_from(["before_run", "after_run"])) for _ in payments]
    order = draw(st.permutations(list(range(len(payments)))))
    return schedule, payments, arrival, order


def outstanding(instalment: Instalment) -> Instalment:
    """The instalment as its instalment-due event states it: what was outstanding (here, a part) on its day."""
    return Instalment(instalment.number, instalment.due_date, max(instalment.amount // 3, 1))


def live_run(terms, schedule, payments, arrival, order, instalments_told=None):
    """The daily run every day, billing's payment events delivered as they arrive. The schedule comes with
    billing.debt.raised; `instalments_told`, per instalment, is when its instalment-due event (stating only what
    was outstanding) arrives on its day: "never", "before_run" or "after_run" that day's run."""
    told = instalments_told or ["never"] * len(schedule)
    ledger = InstalmentLedger("2026/27").with_instalments(schedule)
    issued: tuple[IssuedNotice, ...] = ()
    shuffled = [payments[i] for i in order]
    when = {p.payment_id: arrival[payments.index(p)] for p in payments}
    day = YEAR_START
    while day <= LAST_DAY:
        ledger = ledger.with_instalments(
            [
                outstanding(i)
                for i, t in zip(schedule, told, strict=True)
                if i.due_date == day and t == "before_run"
            ]
        )
        for p in shuffled:
            if p.paid_on == day and when[p.payment_id] == "before_run":
                ledger = ledger.with_payment(p)
        decision = next_regulated_step(terms, ledger, issued, day)
        if decision.is_due and decision.kind is not None:
            issued = (*issued, IssuedNotice(decision.kind, day))
            if decision.kind is StepKind.SUMMONS:
                # Never a summons while nothing has become payable and stayed unpaid past its day.
                assert decision.balance_payable_from is not None or decision.amount_asked > 0
                assert decision.amount_asked > 0
                assert ledger.balance_unpaid(day - timedelta(days=1)) > 0
        for p in shuffled:
            if p.paid_on == day and when[p.payment_id] == "after_run":
                ledger = ledger.with_payment(p)
        ledger = ledger.with_instalments(
            [
                outstanding(i)
                for i, t in zip(schedule, told, strict=True)
                if i.due_date == day and t == "after_run"
            ]
        )
        # Payments dated before the year began arrive with the first run.
        if day == YEAR_START:
            for p in shuffled:
                if p.paid_on < YEAR_START:
                    ledger = ledger.with_payment(p)
        day += timedelta(days=1)
    return issued


@settings(max_examples=120, deadline=None)
@given(terms=TERMS, account=accounts())
def test_the_same_events_in_any_arrival_order_give_the_same_steps_on_the_same_dates(terms, account):
    schedule, payments, arrival, order = account
    known = InstalmentLedger("2026/27").with_instalments(schedule)
    for p in payments:
        known = known.with_payment(p)
    expected = regulated_timetable(terms, known, YEAR_START, LAST_DAY)
    assert live_run(terms, schedule, payments, arrival, order) == expected
    reversed_order = list(reversed(order))
    flipped = ["after_run" if a == "before_run" else "before_run" for a in arrival]
    assert live_run(terms, schedule, payments, flipped, reversed_order) == expected


@settings(max_examples=80, deadline=None)
@given(terms=TERMS, account=accounts(), data=st.data())
def test_instalment_due_events_before_or_after_the_run_of_their_day_change_no_step_of_the_schedule(
    terms, account, data
):
    schedule, payments, arrival, order = account
    told = data.draw(
        st.lists(
            st.sampled_from(["never", "before_run", "after_run"]),
            min_size=len(schedule),
            max_size=len(schedule),
        )
    )
    expected = live_run(terms, schedule, payments, arrival, order)
    assert live_run(terms, schedule, payments, arrival, order, told) == expected


@settings(max_examples=120, deadline=None)
@given(terms=TERMS, account=accounts())
def test_steps_keep_the_laws_order_and_a_summons_only_follows_a_notice_left_unpaid(terms, account):
    schedule, payments, _, _ = account
    ledger = InstalmentLedger("2026/27").with_instalments(schedule)
    for p in payments:
        ledger = ledger.with_payment(p)
    timetable = regulated_timetable(terms, ledger, YEAR_START, LAST_DAY)
    kinds = [n.kind for n in timetable]
    assert kinds.count(StepKind.REMINDER) + kinds.count(StepKind.SECOND_REMINDER) <= terms.reminders_in_year
    assert kinds.count(StepKind.SUMMONS) <= 1
    if StepKind.SUMMONS in kinds:
        assert kinds[-1] is StepKind.SUMMONS
        summons, notice = timetable[-1], timetable[-2]
        assert summons.issued_on >= notice.issued_on + timedelta(days=7)
        assert ledger.balance_unpaid(summons.issued_on - timedelta(days=1)) > 0
    if ledger.in_default_on(LAST_DAY) == ():
        assert timetable == ()
