"""Issue 19: while a case waits in the officers' decision tray (its timetable ran out, an agent reported an
insolvency, a write-off was refused or left a remainder), the daily run takes no step of its timetable by itself,
whatever date the case row carries; once the officer's decision takes it out of the tray, the course chosen runs.
The tray's rule in Python is the twin of `stores/exhausted_cases.py` `AWAITING_DECISION`."""

from __future__ import annotations

import dataclasses
from datetime import date
from uuid import UUID

import pytest

from services.recovery.case_state import load_case, reschedule
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain.exhausted_timetable import awaiting_decision
from services.recovery.step_taking import Debtor, StepsTaken
from shared.contracts.recovery import StageAdvanced
from tests.unit.recovery.in_memory_stores import InMemoryRecovery
from tests.unit.recovery.test_recovery_handlers_in_memory import a_sundry_invoice, derby_on

WAITING_SINCE = date(2026, 4, 20)


@pytest.mark.parametrize(
    ("since", "status", "arrangement", "waits"),
    [
        (WAITING_SINCE, "open", None, True),
        (WAITING_SINCE, "open", "defaulted", True),  # a defaulted arrangement brings the case back
        (WAITING_SINCE, "open", "live", False),  # an arrangement decided and made takes it out
        (WAITING_SINCE, "write_off_requested", None, False),  # the write-off service considers it
        (WAITING_SINCE, "closed", None, False),
        (None, "open", None, False),
    ],
)
def test_a_case_is_in_the_tray_while_due_for_a_decision_open_and_under_no_live_arrangement(
    since: date | None, status: str, arrangement: str | None, waits: bool
):
    assert awaiting_decision(since, status, arrangement) is waits


async def _case_in_the_tray(recovery: InMemoryRecovery) -> UUID:
    debt = a_sundry_invoice()
    await open_recovery_case(debt, recovery.handling())
    row = recovery.case_of(debt.debt_id)
    assert (row.next_step_name, row.next_step_eligible_from) == ("first_reminder", date(2026, 5, 2))
    recovery.cases.by_id[row.case_id] = dataclasses.replace(row, awaiting_decision_since=WAITING_SINCE)
    return row.case_id


async def test_the_daily_run_takes_no_timetable_step_on_a_case_awaiting_an_officers_decision() -> None:
    recovery = derby_on(date(2026, 4, 1))
    case_id = await _case_in_the_tray(recovery)

    examined = await advance_batch(recovery.handling(), date(2026, 6, 1), 100, RunCounts())

    assert examined == 1
    assert recovery.steps.taken == [] and recovery.published.of_type(StageAdvanced) == []
    row = recovery.cases.by_id[case_id]
    assert (row.next_step_name, row.next_step_eligible_from) == (None, None)  # not selected again by itself
    assert await advance_batch(recovery.handling(), date(2026, 6, 2), 100, RunCounts()) == 0


async def test_once_the_officers_decision_takes_the_case_out_of_the_tray_the_course_chosen_runs() -> None:
    recovery = derby_on(date(2026, 4, 1))
    case_id = await _case_in_the_tray(recovery)
    await advance_batch(recovery.handling(), date(2026, 6, 1), 100, RunCounts())

    # The officer's decision takes the case out of the tray (as `ExhaustedCaseStore.decided` does) and its
    # position is worked out again: the course the timetable gives runs.
    row = recovery.cases.by_id[case_id]
    recovery.cases.by_id[row.case_id] = dataclasses.replace(row, awaiting_decision_since=None)
    handling = recovery.handling()
    await reschedule(handling.stores, recovery.service.policies, [row.case_id], date(2026, 6, 1))
    await advance_batch(recovery.handling(), date(2026, 6, 2), 100, RunCounts())

    assert [s.step_name for s in recovery.steps.taken] == ["first_reminder"]


async def test_legal_action_an_officer_decides_outside_the_timetable_leaves_the_case_no_date_of_its_own() -> (
    None
):
    recovery = derby_on(date(2026, 4, 1))
    debt = a_sundry_invoice()
    await open_recovery_case(debt, recovery.handling())
    case = await load_case(recovery.cases, recovery.service.policies, recovery.case_of(debt.debt_id).case_id)
    assert case is not None

    on_the_timetable = StepsTaken(date(2026, 9, 1))
    on_the_timetable.take(case, "legal_options", case.state.balance, Debtor(), False)
    decided = StepsTaken(date(2026, 9, 1))
    decided.take(case, "legal_options", case.state.balance, Debtor(), False, outside_the_timetable=True)

    assert on_the_timetable.case_updates[-1].next_step_name == "write_off_request"
    [update] = decided.case_updates
    assert (update.status, update.next_step_name, update.eligible_from) == ("open", None, None)
    assert [r.agency_kind for r in decided.referrals] == ["legal"]
