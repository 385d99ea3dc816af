"""Exhausted timetables over HTTP: the officers' decision tray (issue 19).

When every step of a case's timetable is taken and money is still owed, the daily run no longer asks for an
`uneconomic_to_pursue` write-off by itself (unless the council opted in with `write_off_when_exhausted: true`):
the case waits, from the day after its last step, for an officer's decision (`domain/exhausted_timetable.py`,
`recovery_case.awaiting_decision_since`, the line `awaiting_decision` on the case record).

- `GET /cases/awaiting-decision` (revenues and senior officers, auditors): the cases waiting, longest first, with
  why each waits (`why`: the timetable ran out, the agent reports an insolvency, or the write-off service's
  refusal), how many days each has waited, what is owed, the last step and any earlier decision (a refused write-off brings
  a case back; an arrangement decided leaves it here until the arrangement is live, and a default brings it back).
- `POST /cases/{case_id}/exhausted-decision` (revenues and senior officers; the officer is the token's):
  - `write_off` with a `write_off_reason` (recovery's write-off reasons) and the `evidence` and/or `notes`: the
    write-off is requested exactly as any other request, with that reason and the officer as `requested_by`;
    for `insolvency` also `insolvency_order_date` (not after today) and `owed_at_order_date_pence` (more than
    nothing, not more than the balance now): the request is for that amount, with both (Derby App.1 §7);
  - `legal_action`: the policy's legal referral step is taken (a referral to legal services, on the case record);
    where legal services still have the case (the timetable referred it), the decision that they go on is kept;
    refused while an agent or agency has it;
  - `arrangement`: the decision is recorded; make the arrangement through `POST /arrangements`;
  - `cancel` with the reason in `notes`: recovery ends and the case closes (`recovery.case.closed`) as it does
    when the originating service cancels a debt.
  Refused (422) with the reason when the case is not waiting or the decision cannot stand; 404 for no case.
Every decision is kept (`exhausted_decision`, append-only) and written on the case record.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from services.recovery.case_state import load_case
from services.recovery.domain.escalation import WriteOffReason, WriteOffRequestError
from services.recovery.domain.exhausted_timetable import (
    DecisionAsked,
    DecisionMade,
    ExhaustedDecision,
    ExhaustedDecisionError,
    days_waiting,
    decide,
)
from services.recovery.holds import close_case
from services.recovery.http import Officer, Reader, Service
from services.recovery.step_taking import StepsTaken
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.exhausted_cases import DecisionRecord

router = APIRouter()

ARRANGEMENT_ROUTE = "POST /arrangements"


class ExhaustedDecisionAsked(BaseModel):
    """An officer's decision on a case whose timetable has run out (issue 19)."""

    model_config = ConfigDict(extra="forbid")

    decision: ExhaustedDecision
    write_off_reason: WriteOffReason | None = Field(
        default=None, description="Write off only: one of recovery's write-off reasons"
    )
    evidence: list[str] = Field(default_factory=list, description="Write off: the evidence for the reason")
    notes: str = Field(default="", description="Why; required to cancel")
    insolvency_order_date: date | None = Field(
        default=None,
        description="Write off for insolvency (required then): the date of the order; only the debt owed up to it "
        "is written off (Derby App.1 §7)",
    )
    owed_at_order_date_pence: int | None = Field(
        default=None,
        description="Write off for insolvency (required then): what the debt owed on the date of the order, not "
        "more than the balance now; the amount written off",
    )


@router.get("/cases/awaiting-decision")
async def cases_awaiting_decision(
    service: Service,
    _: Reader,
    on: Annotated[date | None, Query(description="YYYY-MM-DD (default: the business date)")] = None,
    customer_id: Annotated[
        UUID | None, Query(description="Only this customer's cases (billing's id)")
    ] = None,
) -> dict[str, Any]:
    """Cases whose timetable is exhausted and which wait for an officer's decision on `on`, the longest waiting
    first: the case, its debt, what is owed, the day it became due for a decision and how many days it has
    waited, its last step, and any earlier decision."""
    day = on or service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        waiting = await handling.stores.exhausted_cases.tray(day, customer_id)
        debtors = await handling.stores.customers.debtors_of_cases([c.case_id for c in waiting])
    items = []
    for case in waiting:
        debtor = debtors.get(case.case_id)
        items.append(
            {
                "case_id": str(case.case_id),
                "debt_id": str(case.debt_id),
                "debt_type": case.debt_type,
                "policy_group": case.policy_group,
                "debt_reference": case.external_reference,
                "customer_ids": [str(c) for c in case.customer_ids],
                "debtor_name": debtor.name if debtor else None,
                "balance_pence": case.balance_pence,
                "due_for_decision_on": case.due_for_decision_on.isoformat(),
                "why": case.why or "timetable exhausted",
                "days_waiting": days_waiting(case.due_for_decision_on, day),
                "last_step": case.last_step_name,
                "last_step_on": case.last_step_on.isoformat() if case.last_step_on else None,
                "last_decision": case.last_decision,
                "last_decided_by": case.last_decided_by,
                "last_decided_on": case.last_decided_on.isoformat() if case.last_decided_on else None,
            }
        )
    oldest = max((days_waiting(c.due_for_decision_on, day) for c in waiting), default=0)
    return {"on": day.isoformat(), "count": len(items), "oldest_days_waiting": oldest, "cases": items}


@router.post("/cases/{case_id}/exhausted-decision", status_code=201)
async def decide_exhausted_case(
    case_id: UUID, asked: ExhaustedDecisionAsked, service: Service, officer: Officer
) -> dict[str, Any]:
    """An officer decides what happens to a case whose timetable has run out: write off (with a reason and the
    evidence), legal action, an arrangement (made through the arrangements route) or cancel (with the reason)."""
    today = service.clock.today()
    who = officer.recorded_as
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        stores = handling.stores
        exhausted = stores.exhausted_cases
        case = await load_case(stores.cases, service.policies, case_id)
        if case is None:
            raise HTTPException(404, f"no recovery case {case_id}")
        if case.policy is None:
            raise HTTPException(422, f"case {case_id} has no recovery policy")
        due_on = await exhausted.awaiting_since(case_id)
        try:
            made = decide(
                case.policy,
                case.state,
                DecisionAsked(
                    asked.decision,
                    asked.notes,
                    asked.write_off_reason,
                    tuple(asked.evidence),
                    asked.insolvency_order_date,
                    asked.owed_at_order_date_pence,
                ),
                today,
                awaiting=due_on is not None,
            )
        except ExhaustedDecisionError as refusal:
            raise HTTPException(422, f"case {case_id}: {refusal}") from None
        assert due_on is not None
        work = StepsTaken(today)
        request_id: UUID | None = None
        answer: dict[str, Any] = {}
        if made.decision is ExhaustedDecision.WRITE_OFF:
            assert made.write_off_reason is not None
            try:
                work.ask_write_off(case, made.write_off_reason, made.evidence, who, made.insolvency)
            except WriteOffRequestError as refusal:
                raise HTTPException(422, f"case {case_id}: {refusal}") from None
            request = work.write_off_requests[0]
            request_id = request.request_id
            answer = {"write_off_request_id": str(request_id), "amount_pence": request.amount_pence}
            if made.insolvency is not None:
                answer["insolvency_order_date"] = made.insolvency.order_date.isoformat()
                answer["owed_at_order_date_pence"] = made.insolvency.owed_at_order_date_pence
        elif made.decision is ExhaustedDecision.LEGAL_ACTION and made.already_with_legal:
            assert made.legal_step is not None
            answer = {"step": made.legal_step.name, "already_with_legal": True}
        elif made.decision is ExhaustedDecision.LEGAL_ACTION:
            assert made.legal_step is not None
            debtor = await stores.customers.debtor(case.customer_ids)
            note = f"Timetable exhausted: legal action decided by {who}. {made.notes}".strip()
            # With legal services now: no date of its own (when the referral ends, the case is looked at again).
            work.take(
                case,
                made.legal_step.name,
                case.state.balance,
                debtor,
                False,
                note,
                outside_the_timetable=True,
            )
            answer = {
                "step": made.legal_step.name,
                "already_with_legal": False,
                "referral_id": str(work.referrals[0].referral_id),
            }
        elif made.decision is ExhaustedDecision.ARRANGEMENT:
            answer = {"next": ARRANGEMENT_ROUTE}
        await work.write(stores, handling.outbox)
        if made.decision is ExhaustedDecision.CANCEL:
            await close_case(handling, case, f"cancelled by {who}: {made.notes}", today)
        decision_id = uuid4()
        await exhausted.decided(
            DecisionRecord(
                decision_id=decision_id,
                case_id=case_id,
                decision=made.decision.value,
                write_off_reason=made.write_off_reason.value if made.write_off_reason else None,
                notes=made.notes,
                due_for_decision_on=due_on,
                decided_on=today,
                decided_by=who,
                write_off_request_id=request_id,
            ),
            still_waiting=made.keeps_waiting,
        )
        await stores.record.append([CaseEntry(case_id, today, "exhausted_decision", _described(made, who))])
    return {
        "decision_id": str(decision_id),
        "case_id": str(case_id),
        "decision": made.decision.value,
        "decided_by": who,
        **answer,
    }


def _described(made: DecisionMade, who: str) -> str:
    """The decision as the case record says it."""
    notes = f": {made.notes}" if made.notes else ""
    if made.decision is ExhaustedDecision.WRITE_OFF and made.write_off_reason is not None:
        return f"timetable exhausted: {who} decided to write off ({made.write_off_reason.value}){notes}"
    if made.decision is ExhaustedDecision.LEGAL_ACTION and made.legal_step is not None:
        how = "legal services, who have the case, go on" if made.already_with_legal else made.legal_step.name
        return f"timetable exhausted: {who} decided on legal action ({how}){notes}"
    if made.decision is ExhaustedDecision.ARRANGEMENT:
        return f"timetable exhausted: {who} decided on an arrangement, to be made through {ARRANGEMENT_ROUTE}{notes}"
    return f"timetable exhausted: {who} decided to cancel recovery{notes}"
