"""The summons carries its hearing; paid before the hearing (the court's outcome `paid`): the case ends, with the summons costs only as the
council's policy says: `payable` (CT reg 34(5): the sum and the costs end the application) or `waived` (the
costs are reversed in billing)."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from services.recovery.case_state import load_case
from services.recovery.cases import open_recovery_case
from services.recovery.court_outcomes import outcome_problems, record_outcome
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.regulated_path import CourtOutcome, CourtResult, PaidBeforeHearingCosts
from shared.contracts.recovery import CaseClosed, CostsReversed, NoticeIssued, StageAdvanced
from tests.unit.recovery.in_memory_stores import InMemoryRecovery
from tests.unit.recovery.test_regulated_path_handlers_in_memory import (
    council_tax_demand,
    derby,
    fell_due,
    run_days,
    steps_taken,
)

HEARD = date(2026, 6, 3)
PAID = CourtResult(CourtOutcome.PAID, HEARD)


def with_costs_policy(recovery: InMemoryRecovery, costs: PaidBeforeHearingCosts) -> InMemoryRecovery:
    book = recovery.service.policies
    policies = tuple(
        dataclasses.replace(
            p, regulated_terms=dataclasses.replace(p.regulated_terms, costs_if_paid_before_hearing=costs)
        )
        if p.debt_type is DebtType.COUNCIL_TAX and p.regulated_terms is not None
        else p
        for p in book.policies
    )
    recovery.service = dataclasses.replace(
        recovery.service, policies=dataclasses.replace(book, policies=policies)
    )
    return recovery


async def summonsed(recovery: InMemoryRecovery):
    debt = council_tax_demand()
    await open_recovery_case(debt, recovery.handling())
    await run_days(recovery, date(2026, 4, 1), date(2026, 5, 20), fell_due(debt))
    assert [name for name, _ in steps_taken(recovery)] == ["first_reminder", "summons"]
    case_row = recovery.case_of(debt.debt_id)
    case = await load_case(recovery.cases, recovery.service.policies, case_row.case_id)
    assert case is not None
    return case


async def test_costs_waived_by_policy_are_reversed_and_the_case_ends():
    recovery = with_costs_policy(derby(), PaidBeforeHearingCosts.WAIVED)
    case = await summonsed(recovery)
    assert outcome_problems(case, PAID, date(2026, 6, 4)) == []
    recorded = await record_outcome(recovery.handling(), case, PAID, "A. Officer", date(2026, 6, 4))
    assert recorded.case_closed
    (reversal,) = recovery.published.of_type(CostsReversed)
    assert reversal.amount_pence == 80_00 and reversal.reason == "paid before the hearing"  # type: ignore[attr-defined]
    (closed,) = recovery.published.of_type(CaseClosed)
    assert "summons costs waived" in closed.reason  # type: ignore[attr-defined]


async def test_costs_payable_by_policy_stay_owed_and_the_case_stays_with_the_court_until_they_are_paid():
    recovery = with_costs_policy(derby(), PaidBeforeHearingCosts.PAYABLE)
    case = await summonsed(recovery)
    recorded = await record_outcome(recovery.handling(), case, PAID, "A. Officer", date(2026, 6, 4))
    assert not recorded.case_closed
    assert recovery.published.of_type(CostsReversed) == [] and recovery.published.of_type(CaseClosed) == []
    assert any("still owed" in e.summary for e in recovery.record.entries)


async def test_costs_payable_and_paid_with_the_sum_the_case_ends_with_nothing_reversed():
    recovery = with_costs_policy(derby(), PaidBeforeHearingCosts.PAYABLE)
    case = await summonsed(recovery)
    settled = dataclasses.replace(case, row=dataclasses.replace(case.row, balance_pence=0))
    recorded = await record_outcome(recovery.handling(), settled, PAID, "A. Officer", date(2026, 6, 4))
    assert recorded.case_closed
    assert recovery.published.of_type(CostsReversed) == []


async def test_the_shipped_policies_keep_the_costs_payable_unless_they_say_otherwise():
    terms = derby().service.policies.policy_for(DebtType.COUNCIL_TAX).regulated_terms
    assert terms is not None and terms.costs_if_paid_before_hearing is PaidBeforeHearingCosts.PAYABLE


async def test_the_summons_letter_and_event_carry_the_court_session_and_the_costs_claimed():
    recovery = derby()
    await summonsed(recovery)  # summons of Saturday 16 May 2026: served Tuesday 19 May
    summons = next(e for e in recovery.published.of_type(StageAdvanced) if e.step_kind == "summons")  # type: ignore[attr-defined]
    hearing = summons.hearing  # type: ignore[attr-defined]
    assert (hearing.court_name, hearing.hearing_on, hearing.hearing_at) == (
        "Derby Magistrates' Court",
        date(2026, 6, 3),
        time(10),
    )
    assert hearing.costs_claimed_pence == 80_00 and hearing.served_on == date(2026, 5, 19)
    letter = next(n for n in recovery.published.of_type(NoticeIssued) if n.step_name == "summons")  # type: ignore[attr-defined]
    text = " ".join(letter.letter_text.split())  # type: ignore[attr-defined]
    assert "3 June 2026" in text and "Derby Magistrates' Court" in text
