"""Recovery's handlers as the council's process, with in-memory stores and the events collected: no broker, no
database. A raised debt opens a case that waits for its policy's first step; the daily run takes that step once,
with its letter; an instalment that falls due unpaid is a default the case then pursues; a breathing space heard
late voids what was done inside it and holds the case."""

from __future__ import annotations

import dataclasses
from datetime import date
from uuid import uuid4

from services.recovery.bootstrap import bootstrap
from services.recovery.breathing_space import breathing_space_started
from services.recovery.cases import instalment_fell_due, open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from shared.clock import BusinessClock
from shared.contracts.billing import DebtRaised, InstalmentDue, InstalmentFellDue
from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from shared.contracts.recovery import HoldApplied, NoticeIssued, RecoveryConfirmedHold, StageAdvanced
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

DUE = date(2026, 5, 1)


def derby_on(day: date) -> InMemoryRecovery:
    """Recovery for Derby on a business date, its stores in memory."""
    service = dataclasses.replace(bootstrap(council="derby"), clock=BusinessClock(day))
    return InMemoryRecovery(service)


def a_sundry_invoice(**overrides: object) -> DebtRaised:
    values: dict[str, object] = dict(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="sundry",
        amount_pence=250_00,
        financial_year="2026/27",
        due_date=DUE,
        raised_on=date(2026, 4, 1),
        originating_service="Finance",
        income_code="SUN01",
        external_reference="INV-1",
        evidence_reference="invoice",
    )
    values.update(overrides)
    return DebtRaised(**values)  # type: ignore[arg-type]


async def test_a_raised_debt_opens_a_case_waiting_for_its_first_reminder_a_day_after_the_due_date() -> None:
    recovery = derby_on(date(2026, 4, 1))
    debt = a_sundry_invoice()

    await open_recovery_case(debt, recovery.handling())

    case = recovery.case_of(debt.debt_id)
    assert (case.status, case.balance_pence) == ("open", 250_00)
    assert (case.next_step_name, case.next_step_eligible_from) == ("first_reminder", date(2026, 5, 2))
    assert [e.entry for e in recovery.record.entries] == ["opened"]
    assert recovery.published.envelopes == []  # opening a case tells nobody yet


async def test_the_same_debt_announced_twice_has_one_case() -> None:
    recovery = derby_on(date(2026, 4, 1))
    debt = a_sundry_invoice()

    await open_recovery_case(debt, recovery.handling())
    await open_recovery_case(debt, recovery.handling())

    assert len(recovery.cases.by_id) == 1
    assert len(recovery.record.entries) == 1


async def test_the_daily_run_takes_the_due_step_once_with_its_letter() -> None:
    recovery = derby_on(date(2026, 4, 1))
    debt = a_sundry_invoice()
    await open_recovery_case(debt, recovery.handling())

    counts = RunCounts()
    examined = await advance_batch(recovery.handling(), date(2026, 5, 2), 100, counts)
    again = await advance_batch(recovery.handling(), date(2026, 5, 2), 100, counts)

    assert (examined, again) == (1, 0)  # a rerun for the same date finds nothing due
    assert [s.step_name for s in recovery.steps.taken] == ["first_reminder"]
    stage = recovery.published.of_type(StageAdvanced)
    assert [m.step_name for m in stage] == ["first_reminder"]  # type: ignore[attr-defined]
    letters = recovery.published.of_type(NoticeIssued)
    assert len(letters) == 1 and "Derby City Council" in letters[0].letter_text  # type: ignore[attr-defined]
    case = recovery.case_of(debt.debt_id)
    assert case.next_step_name == "second_reminder"
    assert case.next_step_eligible_from is not None and case.next_step_eligible_from > date(2026, 5, 2)


async def test_a_debt_paid_by_instalments_waits_for_a_default_and_then_pursues_it_from_its_due_date() -> None:
    recovery = derby_on(date(2026, 4, 1))
    debt = a_sundry_invoice(
        instalments=[InstalmentDue(number=1, due_date=date(2026, 6, 1), amount_pence=125_00)]
    )
    await open_recovery_case(debt, recovery.handling())
    assert recovery.case_of(debt.debt_id).next_step_name is None  # no step before a default

    due = InstalmentFellDue(
        debt_id=debt.debt_id, instalment_number=1, due_date=date(2026, 6, 1), outstanding_pence=125_00
    )
    await instalment_fell_due(due, recovery.handling())
    await instalment_fell_due(due, recovery.handling())  # told twice: one default

    case = recovery.case_of(debt.debt_id)
    assert (case.defaulted_instalments, case.awaiting_default, case.due_date) == (
        [1],
        False,
        date(2026, 6, 1),
    )
    assert (case.next_step_name, case.next_step_eligible_from) == ("first_reminder", date(2026, 6, 2))
    assert [e.entry for e in recovery.record.entries] == ["opened", "instalment_default"]


async def test_a_breathing_space_heard_late_voids_the_step_taken_inside_it_and_holds_the_case() -> None:
    recovery = derby_on(date(2026, 5, 3))
    debt = a_sundry_invoice()
    await open_recovery_case(debt, recovery.handling())
    await advance_batch(recovery.handling(), date(2026, 5, 2), 100, RunCounts())
    assert [s.taken.void for s in recovery.cases.stored_steps] == [False]

    started = BreathingSpaceHoldStarted(
        moratorium_reference="BS-1",
        hold_version=1,
        kind="standard",
        starts_on=date(2026, 5, 1),  # before the reminder went: the reminder should never have been sent
        expected_end_on=date(2026, 6, 30),
        customer_ids=debt.customer_ids,
        debt_ids=[debt.debt_id],
    )
    await breathing_space_started(started, recovery.handling())
    await breathing_space_started(started, recovery.handling())  # heard twice: held once

    assert [s.taken.void for s in recovery.cases.stored_steps] == [True]
    assert len(recovery.cases.stored_holds) == 1
    assert len(recovery.published.of_type(HoldApplied)) == 1
    assert len(recovery.published.of_type(RecoveryConfirmedHold)) == 2  # every version heard is confirmed
    case = recovery.case_of(debt.debt_id)
    assert case.next_step_eligible_from is None or case.next_step_eligible_from > date(2026, 6, 30)
    assert await advance_batch(recovery.handling(), date(2026, 6, 1), 100, RunCounts()) == 0
