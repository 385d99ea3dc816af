"""Council tax in a breathing space (DOMAIN.md 7, the creditor guidance): the arrears owed at the start are frozen,
the instalments falling due after it are ongoing liabilities, and reminders about them go on, saying which sums
are in the breathing space; nothing that pursues the year's balance (a final notice, a summons) happens until it
ends; a debt held whole (no scope) gets nothing. Joint debts: what is done is recorded with why."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.recovery.breathing_space import breathing_space_started
from services.recovery.cases import open_recovery_case
from shared.contracts.breathing_space import BreathingSpaceHoldStarted, HeldDebtScope
from shared.contracts.recovery import NoticeIssued
from tests.unit.recovery.in_memory_stores import InMemoryRecovery
from tests.unit.recovery.test_regulated_path_handlers_in_memory import (
    council_tax_demand,
    derby,
    fell_due,
    run_days,
    steps_taken,
)

START = date(2026, 4, 20)


def moratorium(debt, scope: list[HeldDebtScope]) -> BreathingSpaceHoldStarted:
    return BreathingSpaceHoldStarted(
        moratorium_reference=f"BS-{uuid4().hex[:6]}",
        hold_version=1,
        kind="standard",
        starts_on=START,
        expected_end_on=date(2026, 6, 19),
        customer_ids=debt.customer_ids,
        debt_ids=[debt.debt_id],
        scope=scope,
    )


async def in_breathing_space(scope_of) -> tuple[InMemoryRecovery, object]:
    recovery = derby()
    debt = council_tax_demand()
    await open_recovery_case(debt, recovery.handling())
    await run_days(recovery, date(2026, 4, 1), START - date.resolution, fell_due(debt))
    await breathing_space_started(moratorium(debt, scope_of(debt)), recovery.handling())
    await run_days(recovery, START, date(2026, 6, 18), fell_due(debt))
    return recovery, debt


def ongoing_after_the_start(debt) -> list[HeldDebtScope]:
    return [
        HeldDebtScope(
            debt_id=debt.debt_id,
            protected_up_to=START,
            ongoing_liabilities_pence=1350_00,
            ongoing_from=date(2026, 5, 1),
        )
    ]


async def test_the_ongoing_instalments_are_chased_with_a_reminder_that_says_what_is_in_the_breathing_space():
    recovery, _ = await in_breathing_space(ongoing_after_the_start)
    # April's instalment is frozen; May's, unpaid, gets its reminder at due+30; nothing after it while the
    # breathing space lasts (the reminder's failure would make the year's balance payable: that waits).
    assert steps_taken(recovery) == [("first_reminder", date(2026, 5, 31))]
    (reminder,) = recovery.published.of_type(NoticeIssued)
    assert reminder.amount_pence == 300_00  # type: ignore[attr-defined]  # May and June, not April's arrears
    letter = " ".join(reminder.letter_text.split())  # type: ignore[attr-defined]
    assert "breathing space" in letter


async def test_a_debt_held_whole_gets_nothing_while_the_breathing_space_lasts():
    recovery, _ = await in_breathing_space(lambda debt: [])
    assert steps_taken(recovery) == []


async def test_a_joint_debts_scope_and_every_action_on_it_are_recorded_with_why():
    other = uuid4()

    def joint(debt) -> list[HeldDebtScope]:
        (scope,) = ongoing_after_the_start(debt)
        return [
            scope.model_copy(
                update={
                    "other_liable_customer_ids": [other],
                    "other_parties_policy": "may_be_pursued",
                    "other_parties_why": "the creditor guidance: only the applicant is protected",
                }
            )
        ]

    recovery, _ = await in_breathing_space(joint)
    summaries = [e.summary for e in recovery.record.entries]
    assert any(str(other) in s and "may_be_pursued" in s for s in summaries)
    assert any(
        s.startswith("first_reminder during breathing space") and "only the applicant" in s for s in summaries
    )
