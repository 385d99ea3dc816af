"""The regulated path through recovery's handlers and daily run, stores in memory: a council tax demand of ten
instalments, billing's payment events, and the run every day. The law's steps on the law's dates; the liability
order waits for the court."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from uuid import uuid4

from services.recovery.arrangement_defaults import payment_allocated
from services.recovery.bootstrap import bootstrap
from services.recovery.cases import instalment_fell_due, open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from shared.clock import BusinessClock
from shared.contracts.billing import (
    DebtRaised,
    InstalmentDue,
    InstalmentFellDue,
    PaymentAllocated,
    PaymentAllocation,
)
from shared.contracts.recovery import CaseReferred, NoticeIssued
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

MONTHS = [(2026, m) for m in range(4, 13)] + [(2027, 1)]


def derby() -> InMemoryRecovery:
    service = dataclasses.replace(bootstrap(council="derby"), clock=BusinessClock(date(2026, 3, 20)))
    return InMemoryRecovery(service)


def council_tax_demand() -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="council_tax",
        amount_pence=150_000,
        financial_year="2026/27",
        due_date=date(2026, 4, 1),
        raised_on=date(2026, 3, 15),
        originating_service="Revenues",
        income_code="CTAX",
        external_reference="CT-1",
        evidence_reference="demand notice",
        instalments=[
            InstalmentDue(number=n, due_date=date(y, m, 1), amount_pence=15_000)
            for n, (y, m) in enumerate(MONTHS, start=1)
        ],
    )


def paid(debt: DebtRaised, on: date, amount: int) -> PaymentAllocated:
    return PaymentAllocated(
        payment_id=uuid4(),
        customer_id=debt.customer_ids[0],
        channel="card",
        channel_reference="ref",
        amount_pence=amount,
        received_on=on,
        allocations=[PaymentAllocation(debt_id=debt.debt_id, amount_pence=amount)],
    )


async def run_days(
    recovery: InMemoryRecovery, first: date, last: date, events: dict[date, list[object]]
) -> None:
    """Each day: that day's billing events, then the daily run (payments of a day never change that day's run)."""
    day = first
    while day <= last:
        recovery.service = dataclasses.replace(recovery.service, clock=BusinessClock(day))
        for event in events.get(day, []):
            if isinstance(event, PaymentAllocated):
                await payment_allocated(event, recovery.handling())
            elif isinstance(event, InstalmentFellDue):
                await instalment_fell_due(event, recovery.handling())
        await advance_batch(recovery.handling(), day, 100, RunCounts())
        day += timedelta(days=1)


def fell_due(debt: DebtRaised) -> dict[date, list[object]]:
    """Billing's instalment-due events, each on its day, with the instalment's whole amount outstanding."""
    return {
        i.due_date: [
            InstalmentFellDue(
                debt_id=debt.debt_id,
                instalment_number=i.number,
                due_date=i.due_date,
                outstanding_pence=i.amount_pence,
            )
        ]
        for i in debt.instalments
    }


def steps_taken(recovery: InMemoryRecovery) -> list[tuple[str, date]]:
    return [(s.step_name, s.taken_on) for s in recovery.steps.taken]


async def test_nothing_paid_a_reminder_at_due_plus_30_then_a_summons_at_the_earliest_lawful_date_then_the_court():
    recovery = derby()
    debt = council_tax_demand()
    await open_recovery_case(debt, recovery.handling())
    await run_days(recovery, date(2026, 4, 1), date(2026, 8, 31), fell_due(debt))

    assert steps_taken(recovery) == [("first_reminder", date(2026, 5, 1)), ("summons", date(2026, 5, 16))]
    reminder = recovery.published.of_type(NoticeIssued)[0]
    assert reminder.amount_pence == 30_000  # type: ignore[attr-defined]  # April and May, not the year's charge
    # The 7 days begin with the day of issue: the letter asks for payment by the 7th of May, not the 8th.
    letter = " ".join(reminder.letter_text.split())  # type: ignore[attr-defined]
    assert "by 7 May 2026" in letter
    # What the law makes it say (CT reg 23(1)(iii)): the loss of instalments and when the rest becomes due.
    assert "lose the right to pay by instalments" in letter and "becomes due on 15 May 2026" in letter
    # No liability order, notice of it or agent referral without the court's grant.
    assert recovery.published.of_type(CaseReferred) == []
    case = recovery.case_of(debt.debt_id)
    assert (case.next_step_name, case.next_step_eligible_from) == (None, None)


async def test_paying_the_reminder_within_its_seven_days_keeps_the_instalments_and_nothing_follows():
    recovery = derby()
    debt = council_tax_demand()
    await open_recovery_case(debt, recovery.handling())
    events = fell_due(debt)
    events.setdefault(date(2026, 5, 5), []).append(paid(debt, date(2026, 5, 5), 30_000))
    for y, m in MONTHS[2:]:
        events.setdefault(date(y, m, 1), []).insert(0, paid(debt, date(y, m, 1), 15_000))
    await run_days(recovery, date(2026, 4, 1), date(2027, 3, 31), events)

    assert steps_taken(recovery) == [("first_reminder", date(2026, 5, 1))]


async def test_a_payment_arriving_the_day_after_it_was_made_changes_nothing():
    recovery = derby()
    debt = council_tax_demand()
    await open_recovery_case(debt, recovery.handling())
    events = fell_due(debt)
    # Paid on 1 April (its day) but billing's event arrives after that day's run: April was never late.
    events.setdefault(date(2026, 4, 2), []).append(paid(debt, date(2026, 4, 1), 150_000))
    await run_days(recovery, date(2026, 4, 1), date(2026, 7, 31), events)

    assert steps_taken(recovery) == []
