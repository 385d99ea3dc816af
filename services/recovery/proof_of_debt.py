"""The originating service's answer to a proof of debt request (NELC 5.10, 5.12; `domain/proof_of_debt.py`).

`council_systems.proof_of_debt.provided`: the answer on record, the case continues on its route (its next step
when the timetable says). `council_systems.proof_of_debt.not_provided`: the write-off is requested at once with
reason `no_proof_of_debt`. Silence is the daily run's: after the reply-by date it asks for the write-off
(`daily_run.py`). Only a council system may answer (the inbox refuses a `council_systems.*` event published by
anyone else, `shared/broker_identity.py`); an answer to a request recovery never made is refused to the
dead-letter queue with the reason.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from services.recovery.case_state import load_case, reschedule
from services.recovery.domain.proof_of_debt import ProofOfDebtOutcome
from services.recovery.domain.regulated_case import case_step
from services.recovery.domain.step_engine import StepStatus
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.step_taking import StepsTaken
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.proof_of_debt import ProofOfDebtAnswerRecord
from shared.contracts.envelope import MalformedMessage
from shared.contracts.proof_of_debt import ProofOfDebtNotProvided, ProofOfDebtProvided
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[RecoveryStores, Recovery]()


@router.handles(ProofOfDebtProvided)
async def proof_of_debt_provided(answer: ProofOfDebtProvided, handling: RecoveryHandling) -> None:
    """The originating service holds proof of the debt: on the case record, and recovery continues on the
    case's route (NELC 5.12)."""
    await _answered(
        handling,
        answer.request_id,
        answer.case_id,
        ProofOfDebtOutcome.PROVIDED,
        answer.provided_on,
        "; ".join(answer.evidence),
        answer.confirmed_by,
    )


@router.handles(ProofOfDebtNotProvided)
async def proof_of_debt_not_provided(answer: ProofOfDebtNotProvided, handling: RecoveryHandling) -> None:
    """The originating service cannot prove the debt: on the case record, and the write-off is requested with
    reason `no_proof_of_debt` (NELC 5.10)."""
    await _answered(
        handling,
        answer.request_id,
        answer.case_id,
        ProofOfDebtOutcome.NOT_PROVIDED,
        answer.answered_on,
        answer.reason,
        answer.confirmed_by,
    )


async def _answered(
    handling: RecoveryHandling,
    request_id: UUID,
    case_id: UUID,
    outcome: ProofOfDebtOutcome,
    answered_on: date,
    detail: str,
    confirmed_by: str,
) -> None:
    stores, service = handling.stores, handling.service
    stored = await stores.proofs_of_debt.request(request_id)
    if stored is None or stored.request.case_id != case_id:
        raise MalformedMessage(f"recovery made no proof of debt request {request_id} on case {case_id}")
    answer_id = handling.envelope.event_id if handling.envelope is not None else uuid4()
    await stores.proofs_of_debt.add_answer(
        ProofOfDebtAnswerRecord(answer_id, request_id, outcome.value, answered_on, detail, confirmed_by)
    )
    service_name = stored.request.originating_service
    if outcome is ProofOfDebtOutcome.PROVIDED:
        said = f"proof of the debt provided by {service_name} ({confirmed_by}): {detail}"
    else:
        said = f"{service_name} ({confirmed_by}) cannot provide proof of the debt: {detail}"
    if stored.first_answer is not None:
        first = stored.first_answer
        await stores.record.append(
            [
                CaseEntry(
                    case_id,
                    answered_on,
                    "proof_of_debt_answer_ignored",
                    f"{said}; the first answer ({first.outcome} on {first.answered_on}) stands",
                )
            ]
        )
        return
    case = await load_case(stores.cases, service.policies, case_id)
    if case is None or case.policy is None or case.row.status != "open":
        status = case.row.status if case is not None else "unknown"
        await stores.record.append(
            [CaseEntry(case_id, answered_on, "proof_of_debt_answered", f"{said}; the case is {status}")]
        )
        return
    today = service.clock.today()
    decision = case_step(case.policy, case.state, case.ledger, case.court_results, today)
    work = StepsTaken(today)
    work.entries.append(CaseEntry(case_id, answered_on, "proof_of_debt_answered", said))
    if decision.status is StepStatus.NO_PROOF_OF_DEBT and work.at_write_off_point(case, decision):
        await work.write(stores, handling.outbox)
        return
    consequence = (
        "recovery continues (NELC 5.12)"
        if outcome is ProofOfDebtOutcome.PROVIDED
        else f"no write-off requested now ({decision.reason or decision.status.value})"
    )
    await stores.record.append(
        [CaseEntry(case_id, answered_on, "proof_of_debt_answered", f"{said}; {consequence}")]
    )
    await reschedule(stores, service.policies, [case_id], today)
