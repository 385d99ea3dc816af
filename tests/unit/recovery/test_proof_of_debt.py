"""NELC 5.10 and 5.12 as rules: where initial recovery fails, the service that raised the debt is asked to prove
it; proof provided, recovery continues; not provided, or no answer by the reply-by date, the debt goes to
write-off for no proof of debt. The pure rule first, then the step engine on NELC's shipped sundry policy, then
the handlers and the daily run with in-memory stores."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.recovery.bootstrap import bootstrap
from services.recovery.cases import open_recovery_case
from services.recovery.daily_run import RunCounts, advance_batch
from services.recovery.domain.case import RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.policy import StepKind
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_book
from services.recovery.domain.proof_of_debt import (
    DEFAULT_REPLY_WITHIN_WORKING_DAYS,
    ProofOfDebtAnswer,
    ProofOfDebtOutcome,
    ProofOfDebtRequest,
    ProofOfDebtStanding,
    proof_of_debt_decision,
    reply_by,
)
from services.recovery.domain.step_engine import StepStatus, next_step, stored_position
from services.recovery.proof_of_debt import proof_of_debt_not_provided, proof_of_debt_provided
from shared.clock import BusinessClock
from shared.contracts.billing import DebtRaised
from shared.contracts.envelope import MalformedMessage
from shared.contracts.proof_of_debt import ProofOfDebtNotProvided, ProofOfDebtProvided, ProofOfDebtRequested
from shared.contracts.recovery import WriteOffRequested
from shared.working_days import add_working_days
from tests.unit.recovery.in_memory_stores import InMemoryRecovery

from .timetable_walk import shipped_policy

ASKED_ON = date(2026, 6, 12)  # a Friday
REPLY_BY = date(2026, 6, 26)  # ten working days later


# -- the rule ------------------------------------------------------------------------------------------------------
def test_the_service_has_ten_working_days_to_answer_unless_the_council_sets_its_own() -> None:
    assert (
        DEFAULT_REPLY_WITHIN_WORKING_DAYS == 10
    )  # NELC 5.21: departments decide on recovery in 10 working days
    assert reply_by(ASKED_ON, None) == REPLY_BY
    assert reply_by(ASKED_ON, 5) == add_working_days(ASKED_ON, 5)
    # Bank holidays are not working days: asked on the Friday before the spring bank holiday 2026 (25 May).
    assert reply_by(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_until_the_reply_by_date_the_request_waits_and_is_looked_at_again_the_day_after() -> None:
    request = ProofOfDebtRequest("proof_of_debt", ASKED_ON, REPLY_BY)
    for day in (ASKED_ON, ASKED_ON + timedelta(days=3), REPLY_BY):
        decision = proof_of_debt_decision(request, day)
        assert decision.standing is ProofOfDebtStanding.AWAITING
        assert decision.look_again_on == REPLY_BY + timedelta(days=1)
        assert not decision.goes_to_write_off and not decision.continues


def test_proof_provided_recovery_continues() -> None:
    answered = ProofOfDebtAnswer(ProofOfDebtOutcome.PROVIDED, ASKED_ON + timedelta(days=2), "signed order")
    decision = proof_of_debt_decision(dataclasses.replace(_request(), answer=answered), REPLY_BY)
    assert decision.standing is ProofOfDebtStanding.PROVIDED
    assert decision.continues and not decision.goes_to_write_off
    assert "5.12" in decision.reason


def test_proof_not_provided_the_debt_goes_to_write_off_at_once_with_the_services_reason() -> None:
    answered = ProofOfDebtAnswer(
        ProofOfDebtOutcome.NOT_PROVIDED, ASKED_ON + timedelta(days=1), "no order on file"
    )
    decision = proof_of_debt_decision(
        dataclasses.replace(_request(), answer=answered), ASKED_ON + timedelta(days=1)
    )
    assert decision.standing is ProofOfDebtStanding.NOT_PROVIDED
    assert decision.goes_to_write_off
    assert "no order on file" in decision.reason and "5.10" in decision.reason


def test_silence_past_the_reply_by_date_is_no_proof() -> None:
    decision = proof_of_debt_decision(_request(), REPLY_BY + timedelta(days=1))
    assert decision.standing is ProofOfDebtStanding.NOT_ANSWERED
    assert decision.goes_to_write_off
    assert str(REPLY_BY) in decision.reason


def test_proof_provided_after_the_reply_by_date_but_before_the_run_acted_still_counts() -> None:
    late = ProofOfDebtAnswer(ProofOfDebtOutcome.PROVIDED, REPLY_BY + timedelta(days=3), "contract found")
    decision = proof_of_debt_decision(
        dataclasses.replace(_request(), answer=late), REPLY_BY + timedelta(days=4)
    )
    assert decision.continues


def _request() -> ProofOfDebtRequest:
    return ProofOfDebtRequest("proof_of_debt", ASKED_ON, REPLY_BY)


# -- the step engine on NELC's sundry policy -------------------------------------------------------------------------
def _asked_case(**overrides: object) -> RecoveryCaseState:
    steps = (
        StepTaken("first_reminder", StepKind.REMINDER, date(2026, 5, 15)),
        StepTaken("final_notice", StepKind.FINAL_NOTICE, date(2026, 5, 29)),
        StepTaken("proof_of_debt", StepKind.PROOF_OF_DEBT_REQUEST, ASKED_ON),
    )
    values: dict[str, object] = dict(
        case_id="case-1",
        debt_type=DebtType.SUNDRY,
        due_date=date(2026, 5, 1),
        balance=250_00,
        steps_taken=steps,
        proof_of_debt=_request(),
    )
    values.update(overrides)
    return RecoveryCaseState(**values)  # type: ignore[arg-type]


def test_nelc_asks_for_proof_of_debt_after_the_final_notice_with_ten_working_days_to_answer() -> None:
    policy = shipped_policy("nelc", "sundry")
    step = policy.step_named("proof_of_debt")
    assert step.kind is StepKind.PROOF_OF_DEBT_REQUEST and step.reply_within_working_days == 10
    assert policy.index_of("proof_of_debt") == policy.index_of("final_notice") + 1


def test_while_the_service_has_time_to_answer_the_case_takes_no_further_step() -> None:
    policy = shipped_policy("nelc", "sundry")
    # The collection agents would be due on the reply-by date itself; they wait for the proof.
    decision = next_step(policy, _asked_case(), REPLY_BY)
    assert decision.status is StepStatus.AWAITING_PROOF_OF_DEBT
    assert stored_position(policy, _asked_case(), ASKED_ON) == (None, REPLY_BY + timedelta(days=1))


def test_with_proof_provided_the_case_goes_on_to_the_collection_agents_on_its_timetable() -> None:
    policy = shipped_policy("nelc", "sundry")
    provided = ProofOfDebtAnswer(ProofOfDebtOutcome.PROVIDED, ASKED_ON + timedelta(days=2), "signed order")
    case = _asked_case(proof_of_debt=dataclasses.replace(_request(), answer=provided))
    decision = next_step(policy, case, ASKED_ON + timedelta(days=14))
    assert decision.status is StepStatus.DUE
    assert decision.step is not None and decision.step.name == "collection_agents"


def test_with_no_answer_by_the_reply_by_date_the_next_run_finds_no_proof_of_debt() -> None:
    policy = shipped_policy("nelc", "sundry")
    decision = next_step(policy, _asked_case(), REPLY_BY + timedelta(days=1))
    assert decision.status is StepStatus.NO_PROOF_OF_DEBT
    assert decision.amount_pursued == 250_00


def test_a_debt_paid_off_while_waiting_needs_no_proof_and_no_write_off() -> None:
    policy = shipped_policy("nelc", "sundry")
    assert (
        next_step(policy, _asked_case(balance=0), REPLY_BY + timedelta(days=1)).status is StepStatus.SETTLED
    )


def test_a_request_made_at_a_step_since_voided_no_longer_counts() -> None:
    policy = shipped_policy("nelc", "sundry")
    case = _asked_case()
    voided = dataclasses.replace(case, steps_taken=(*case.steps_taken[:2], case.steps_taken[2].voided()))
    decision = next_step(policy, voided, REPLY_BY + timedelta(days=1))
    assert decision.status is StepStatus.DUE
    assert decision.step is not None and decision.step.name == "proof_of_debt"  # asked again


def test_a_reply_time_on_any_step_but_a_proof_of_debt_request_is_refused() -> None:
    text = """
council: testshire
policies:
  - debt_type: sundry
    steps:
      - {name: reminder, kind: reminder, days: 1, after: due_date, reply_within_working_days: 5}
"""
    with pytest.raises(PolicyFileError, match="proof_of_debt_request step only"):
        load_policy_book(text, source="testshire.yaml")


# -- the handlers and the daily run, in memory -----------------------------------------------------------------------
DUE = date(2026, 5, 1)


def nelc() -> InMemoryRecovery:
    return InMemoryRecovery(dataclasses.replace(bootstrap(council="nelc"), clock=BusinessClock(ASKED_ON)))


def an_invoice() -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="sundry",
        amount_pence=250_00,
        financial_year="2026/27",
        due_date=DUE,
        raised_on=date(2026, 4, 1),
        originating_service="Leisure Services",
        income_code="LEI01",
        external_reference="INV-77",
        evidence_reference="booking form",
    )


async def _asked(recovery: InMemoryRecovery) -> ProofOfDebtRequested:
    await open_recovery_case(an_invoice(), recovery.handling())
    for day in (date(2026, 5, 15), date(2026, 5, 29), ASKED_ON):
        await advance_batch(recovery.handling(), day, 100, RunCounts())
    (asked,) = recovery.published.of_type(ProofOfDebtRequested)
    assert isinstance(asked, ProofOfDebtRequested)
    return asked


async def test_the_daily_run_asks_the_service_that_raised_the_debt_for_proof_and_says_by_when() -> None:
    recovery = nelc()
    asked = await _asked(recovery)
    assert (asked.originating_service, asked.requested_on, asked.reply_by) == (
        "Leisure Services",
        ASKED_ON,
        REPLY_BY,
    )
    assert (asked.external_reference, asked.evidence_reference, asked.amount_pence) == (
        "INV-77",
        "booking form",
        250_00,
    )
    case = recovery.case_of(asked.debt_id)
    assert (case.next_step_name, case.next_step_eligible_from) == (None, REPLY_BY + timedelta(days=1))
    (entry,) = [e for e in recovery.record.entries if e.entry == "proof_of_debt_requested"]
    assert "Leisure Services" in entry.summary and str(REPLY_BY) in entry.summary and "5.10" in entry.summary


async def test_proof_provided_is_on_the_record_and_the_case_goes_on_to_the_collection_agents() -> None:
    recovery = nelc()
    asked = await _asked(recovery)
    await proof_of_debt_provided(_provided(asked), recovery.handling())
    case = recovery.case_of(asked.debt_id)
    assert (case.status, case.next_step_name) == ("open", "collection_agents")
    await advance_batch(recovery.handling(), case.next_step_eligible_from or REPLY_BY, 100, RunCounts())
    assert [s.step_name for s in recovery.steps.taken][-1] == "collection_agents"
    assert recovery.published.of_type(WriteOffRequested) == []
    (entry,) = [e for e in recovery.record.entries if e.entry == "proof_of_debt_answered"]
    assert "signed booking form" in entry.summary and "5.12" in entry.summary


async def test_proof_not_provided_asks_for_the_write_off_for_no_proof_of_debt() -> None:
    recovery = nelc()
    asked = await _asked(recovery)
    not_provided = ProofOfDebtNotProvided(
        request_id=asked.request_id,
        case_id=asked.case_id,
        debt_id=asked.debt_id,
        answered_on=ASKED_ON + timedelta(days=3),
        reason="no booking form on file",
        confirmed_by="Leisure Services manager",
    )
    await proof_of_debt_not_provided(not_provided, recovery.handling())
    (request,) = recovery.published.of_type(WriteOffRequested)
    assert isinstance(request, WriteOffRequested)
    assert (request.reason_code, request.amount_pence) == (WriteOffReason.NO_PROOF_OF_DEBT.value, 250_00)
    assert any("no booking form on file" in line for line in request.evidence)
    assert recovery.case_of(asked.debt_id).status == "write_off_requested"


async def test_no_answer_by_the_reply_by_date_the_next_daily_run_asks_for_the_write_off() -> None:
    recovery = nelc()
    asked = await _asked(recovery)
    await advance_batch(recovery.handling(), REPLY_BY, 100, RunCounts())
    assert recovery.published.of_type(WriteOffRequested) == []
    await advance_batch(recovery.handling(), REPLY_BY + timedelta(days=1), 100, RunCounts())
    (request,) = recovery.published.of_type(WriteOffRequested)
    assert isinstance(request, WriteOffRequested)
    assert request.reason_code == "no_proof_of_debt"
    assert any(str(REPLY_BY) in line for line in request.evidence)
    (entry,) = [e for e in recovery.record.entries if e.entry == "no_proof_of_debt"]
    assert "5.10" in entry.summary
    assert recovery.case_of(asked.debt_id).status == "write_off_requested"


async def test_the_first_answer_stands_and_a_later_one_is_only_recorded() -> None:
    recovery = nelc()
    asked = await _asked(recovery)
    await proof_of_debt_provided(_provided(asked), recovery.handling())
    contrary = ProofOfDebtNotProvided(
        request_id=asked.request_id,
        case_id=asked.case_id,
        debt_id=asked.debt_id,
        answered_on=ASKED_ON + timedelta(days=4),
        reason="changed our mind",
        confirmed_by="someone else",
    )
    await proof_of_debt_not_provided(contrary, recovery.handling())
    assert recovery.published.of_type(WriteOffRequested) == []
    assert [e.entry for e in recovery.record.entries][-1] == "proof_of_debt_answer_ignored"


async def test_an_answer_to_a_request_recovery_never_made_is_refused() -> None:
    recovery = nelc()
    asked = await _asked(recovery)
    with pytest.raises(MalformedMessage, match="no proof of debt request"):
        await proof_of_debt_provided(
            _provided(asked).model_copy(update={"request_id": uuid4()}), recovery.handling()
        )


def _provided(asked: ProofOfDebtRequested) -> ProofOfDebtProvided:
    return ProofOfDebtProvided(
        request_id=asked.request_id,
        case_id=asked.case_id,
        debt_id=asked.debt_id,
        provided_on=ASKED_ON + timedelta(days=2),
        evidence=["signed booking form BK-77", "invoice INV-77"],
        confirmed_by="Leisure Services manager",
    )
