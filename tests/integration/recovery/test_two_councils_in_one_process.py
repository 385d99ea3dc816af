"""Two recovery services in one process, bootstrapped for two councils: each follows its own council's policy.
The same sundry invoice is reminded a day after its due date in Derby and fourteen days after in North East
Lincolnshire, and each letter names its own council. The handlers run against in-memory stores through each
instance's own service object (no broker or database is needed to show it)."""

from __future__ import annotations

import dataclasses
from datetime import date
from uuid import uuid4

from services.recovery.bootstrap import bootstrap
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from shared.clock import BusinessClock
from shared.contracts.billing import DebtRaised
from shared.contracts.recovery import NoticeIssued
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

DUE = date(2026, 5, 1)


def recovery_for(council: str) -> InMemoryRecovery:
    service = dataclasses.replace(bootstrap(council=council), clock=BusinessClock(date(2026, 4, 1)))
    return InMemoryRecovery(service)


def the_same_invoice() -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="sundry",
        amount_pence=180_00,
        financial_year="2026/27",
        due_date=DUE,
        raised_on=date(2026, 4, 1),
        originating_service="Finance",
        income_code="SUN01",
        external_reference="INV-2",
        evidence_reference="invoice",
    )


async def test_two_councils_in_one_process_each_follow_their_own_timetable() -> None:
    derby, nelc = recovery_for("derby"), recovery_for("nelc")
    assert derby.service.runtime is not nelc.service.runtime
    assert (derby.service.policies.council, nelc.service.policies.council) == ("derby", "nelc")
    debt = the_same_invoice()

    await open_recovery_case(debt, derby.handling())
    await open_recovery_case(debt, nelc.handling())

    assert derby.case_of(debt.debt_id).next_step_eligible_from == date(2026, 5, 2)  # Derby: 1 day after due
    assert nelc.case_of(debt.debt_id).next_step_eligible_from == date(2026, 5, 15)  # NELC: 14 days after due

    # On 2 May Derby sends its first reminder; North East Lincolnshire has nothing due yet.
    for recovery in (derby, nelc):
        await advance_batch(recovery.handling(), date(2026, 5, 2), 100, RunCounts())
    assert [s.step_name for s in derby.steps.taken] == ["first_reminder"]
    assert nelc.steps.taken == []

    await advance_batch(nelc.handling(), date(2026, 5, 15), 100, RunCounts())
    assert [s.step_name for s in nelc.steps.taken] == ["first_reminder"]
    (derby_letter,) = derby.published.of_type(NoticeIssued)
    (nelc_letter,) = nelc.published.of_type(NoticeIssued)
    assert "Derby City Council" in derby_letter.letter_text  # type: ignore[attr-defined]
    assert "North East Lincolnshire Council" in nelc_letter.letter_text  # type: ignore[attr-defined]
    assert "Derby" not in nelc_letter.letter_text  # type: ignore[attr-defined]
