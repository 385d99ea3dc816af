"""The JSON API: request a write-off, build and view schedules, sign or record a committee decision, declare
interests, find debtors, decide payments put for consideration, and reports. Every call needs
`Authorization: Bearer <token>` from the council's identity provider: `reads` need a write-off role or auditor,
`acts` a write-off role (see `web/identity.py`)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.writeoff import considered_payments, intake, panel_findings, schedule_decisions, schedules
from services.writeoff.approvers import COMMITTEE_CLERK, PANEL_RECORDERS, WRITE_OFF_OFFICER, Person
from services.writeoff.declarations import declare_interest
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    Evidence,
    InterestKind,
    LineTakenOff,
    PanelFinding,
    PanelOutcome,
)
from services.writeoff.domain.considered_payments import (
    ConsiderationOutcome,
    NotConsidered,
    roles_that_consider,
)
from services.writeoff.domain.debtors import search_words
from services.writeoff.reporting import ReportFormat, ReportKind, render_report
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.requests import StoredRequest
from services.writeoff.web.identity import Service, SignedIn, require_any_role, require_role
from services.writeoff.web.views import (
    awaiting,
    debtors_of_lines,
    panel_finding_view,
    refusal_status,
    refusal_view,
    schedule_view,
    single_view_url,
    taken_off_view,
)
from shared.auth import Role
from shared.messaging.inbox_router import Handling

reads = APIRouter(prefix="/api")
acts = APIRouter(prefix="/api")
Handled = Handling[WriteOffStores, WriteOff]


def _transaction(service: WriteOff) -> contextlib.AbstractAsyncContextManager[Handled]:
    """One transaction of the service's stores and outbox, for one call."""
    return service.runtime.transaction(WriteOffStores.on, service)


class Body(BaseModel):
    """What every request body shares: a field the route does not know is refused (422), never ignored."""

    model_config = ConfigDict(extra="forbid")


class EvidenceItem(Body):
    """A document or record supporting the write-off."""

    kind: str = Field(min_length=1)
    reference: str = Field(min_length=1)
    description: str = ""


class OfficerRequest(Body):
    """An officer of the originating service asks for a debt to be written off."""

    debt_id: UUID
    amount_pence: int = Field(gt=0)
    reason_code: str = Field(min_length=1)
    evidence: list[EvidenceItem]
    written_report: str | None = None
    debt_area: str | None = None
    # A formal insolvency write-off: the order's date and what the debt owed on it (both required for it).
    insolvency_order_date: date | None = None
    owed_at_order_date_pence: int | None = None


class SignatureBody(Body):
    """A signature over the schedule exactly as presented (its hash), with any lines rejected and why."""

    schedule_hash: str = Field(min_length=64, max_length=64)
    statement_of_no_interest: bool
    rejections: dict[str, str] = Field(default_factory=dict)


class CommitteeDecisionBody(Body):
    """A committee's decision as minuted: committee, meeting reference and date."""

    committee: str
    meeting_reference: str
    meeting_date: date
    schedule_hash: str = Field(min_length=64, max_length=64)
    rejections: dict[str, str] = Field(default_factory=dict)
    interests_declared_at_meeting: str = ""


class DeclarationBody(Body):
    """An interest the signed-in person declares in a customer or a debt."""

    kind: InterestKind
    customer_id: str | None = None
    debt_id: str | None = None
    note: str = ""


def person_view(person: Person) -> dict[str, Any]:
    """A person as the API shows them."""
    return {
        "person_id": person.person_id,
        "name": person.name,
        "recorded_as": person.recorded_as,
        "council": person.council,
        "roles": sorted(person.roles),
    }


@reads.get("/me")
async def me(person: SignedIn, service: Service) -> dict[str, Any]:
    """The signed-in person and their declarations of interest."""
    async with _transaction(service) as handling:
        declared = await handling.stores.declarations.of_person(person.person_id)
    return {
        **person_view(person),
        "declarations": [
            {"kind": str(d.kind), "customer_id": d.customer_id, "debt_id": d.debt_id, "note": d.note}
            for d in declared
        ],
    }


def request_view(
    row: StoredRequest, taken_off: Sequence[LineTakenOff] = (), panel: PanelFinding | None = None
) -> dict[str, Any]:
    """A request and what became of it, as the API shows it (with every time it was taken off a schedule and
    the independent panel's finding, when one is recorded)."""
    return {
        "taken_off_schedules": [taken_off_view(removal) for removal in taken_off],
        "panel_finding": panel_finding_view(panel) if panel else None,
        "request_id": str(row.request_id),
        "council": row.council,
        "debt_id": str(row.debt_id),
        "amount_pence": row.amount_pence,
        "reason_code": row.reason_code,
        "status": str(row.status),
        "refusals": [{"code": r.code, "message": r.message} for r in row.refusals],
        "schedule_id": str(row.schedule_id) if row.schedule_id else None,
        "requested_by": row.requested_by,
        "channel": str(row.channel),
        "insolvency_order_date": row.insolvency_order_date.isoformat() if row.insolvency_order_date else None,
        "owed_at_order_date_pence": row.owed_at_order_date_pence,
    }


@acts.post("/requests", status_code=201)
async def request_write_off(body: OfficerRequest, person: SignedIn, service: Service) -> Any:
    """An officer of the originating service asks for a write-off; they can never approve it themselves.

    201 when it awaits a schedule; 422 with every reason when it is refused (the request is kept and recovery
    told); 404 when billing has not described the debt to this service.
    """
    async with _transaction(service) as handling:
        received = await intake.receive_from_officer(
            handling,
            person,
            body.debt_id,
            amount_pence=body.amount_pence,
            reason_code=body.reason_code,
            evidence=[Evidence(e.kind, e.reference, e.description) for e in body.evidence],
            written_report=body.written_report,
            debt_area=body.debt_area,
            insolvency_order_date=body.insolvency_order_date,
            owed_at_order_date_pence=body.owed_at_order_date_pence,
        )
        if received is None:
            raise HTTPException(
                404, detail={"reason": f"debt {body.debt_id} is not known to the write-off service"}
            )
        kept, refusals = received
        view = request_view(kept)
    if refusals:
        return JSONResponse(
            {
                **view,
                "detail": "; ".join(r.message for r in refusals),
                "refusals": [refusal_view(r) for r in refusals],
            },
            status_code=422,
        )
    return view


@reads.get("/requests/{request_id}")
async def show_request(request_id: UUID, person: SignedIn, service: Service) -> dict[str, Any]:
    """A request and what became of it."""
    async with _transaction(service) as handling:
        row = await handling.stores.requests.get(request_id)
        history = await handling.stores.schedule_history.taken_off_for_request(request_id)
        panel = (await handling.stores.panel_findings.of_requests([request_id])).get(str(request_id))
    if row is None or row.council != person.council:
        raise HTTPException(404, detail={"reason": f"no write-off request {request_id} for {person.council}"})
    return request_view(row, history, panel)


class PanelFindingBody(Body):
    """The independent panel's finding as its record gives it: when it sat, its members and/or the reference
    of its record, and its outcome."""

    panel_date: date
    members: list[str] = Field(default_factory=list)
    reference: str = ""
    outcome: PanelOutcome
    note: str = ""


@acts.post("/requests/{request_id}/panel-finding", status_code=201)
async def record_panel_finding(
    request_id: UUID, body: PanelFindingBody, person: SignedIn, service: Service
) -> Any:
    """Record the independent panel's finding on a request whose reason needs one (Derby App.1 §8; write-off
    officers and committee clerks). Until a finding recommending the write-off is recorded, no signature or
    committee decision approves the line. 201 with the finding; 403 for the requester or another role; 409 when
    already recorded or the request is decided; 422 with every reason otherwise."""
    require_any_role(person, PANEL_RECORDERS, "record an independent panel's finding")
    async with _transaction(service) as handling:
        result = await panel_findings.record(
            handling,
            request_id,
            person,
            body.panel_date,
            body.members,
            body.reference,
            body.outcome,
            body.note,
        )
    if result is None:
        raise HTTPException(404, detail={"reason": f"no write-off request {request_id} for {person.council}"})
    if result.finding is None:
        return JSONResponse(
            {
                "detail": "; ".join(r.message for r in result.refusals),
                "refusals": [refusal_view(r) for r in result.refusals],
            },
            status_code=result.status,
        )
    return panel_finding_view(result.finding)


@reads.get("/payments-for-consideration")
async def payments_for_consideration(person: SignedIn, service: Service) -> list[dict[str, Any]]:
    """The council's payments on written-off debts that can no longer lawfully be enforced (remitted,
    insolvency, prison served in lieu, statute barred), awaiting an officer's decision: not reinstated, the
    money held by billing. For the council's referral role, write-off officers and auditors."""
    policy = service.policies.get(person.council)
    require_any_role(
        person,
        (*roles_that_consider(policy.reinstatement_referral_role if policy else None), Role.AUDITOR),
        "see payments put for consideration",
    )
    async with _transaction(service) as handling:
        awaiting_officer = await handling.stores.reinstatements.awaiting_consideration(person.council)
    return [
        {
            "payment_id": str(item.payment_id),
            "write_off_id": str(item.write_off_id),
            "debt_id": str(item.debt_id),
            "reason_code": item.reason_code,
            "payment_pence": item.payment_pence,
            "received_on": item.received_on.isoformat(),
            "referred_to_role": item.referred_to_role,
        }
        for item in awaiting_officer
    ]


class ConsiderationBody(Body):
    """The officer's decision on a payment put for consideration, and why."""

    outcome: ConsiderationOutcome
    reason: str


@acts.post("/payments-for-consideration/{payment_id}/decision")
async def decide_payment_for_consideration(
    payment_id: UUID, body: ConsiderationBody, person: SignedIn, service: Service
) -> dict[str, Any]:
    """Accept the payment against the written-off debt, reinstate the debt, or refund the payment (the
    council's referral role or a write-off officer; 403 otherwise, 409 once decided, 422 without a reason).
    Publishes `writeoff.payment_for_consideration.decided` (and `writeoff.write_off.reinstated` when
    reinstated)."""
    async with _transaction(service) as handling:
        decision = await considered_payments.decide(handling, payment_id, person, body.outcome, body.reason)
    if decision is None:
        raise HTTPException(404, detail={"reason": f"no payment {payment_id} put for consideration"})
    if isinstance(decision, NotConsidered):
        raise HTTPException(decision.status, detail={"reason": decision.reason})
    return {
        "payment_id": str(payment_id),
        "outcome": str(decision.outcome),
        "reason": decision.reason,
        "decided_by": person.recorded_as,
        "unpaid_remainder_pence": decision.reinstatement.remainder_pence if decision.reinstatement else None,
    }


class BuildSchedules(Body):
    """Which pending requests to schedule: those listed, or every pending request of the council."""

    request_ids: list[UUID] | None = None


@acts.post("/schedules", status_code=201)
async def build_schedules(
    person: SignedIn, service: Service, body: BuildSchedules | None = None
) -> dict[str, Any]:
    """Group the council's pending requests into schedules, one per band table (write-off officers)."""
    require_role(person, WRITE_OFF_OFFICER, "build write-off schedules")
    chosen = body.request_ids if body else None
    async with _transaction(service) as handling:
        built = await schedules.build_schedules(handling, person.council, person.person_id, chosen)
    return {"schedule_ids": [str(s) for s in built]}


@reads.get("/schedules")
async def list_schedules(
    person: SignedIn,
    service: Service,
    status: str | None = Query("awaiting_decision"),
    awaiting_me: bool = False,
) -> list[dict[str, Any]]:
    """The council's schedules (without lines); `awaiting_me=true` gives the signed-in person's queue."""
    async with _transaction(service) as handling:
        loaded = await schedules.schedules_of_council(
            handling, person.council, None if status == "any" else status
        )
    if awaiting_me:
        loaded = awaiting(person, loaded)
    return [schedule_view(s, with_lines=False) for s in loaded]


async def _loaded(handling: Handled, schedule_id: UUID, person: Person) -> schedules.LoadedSchedule:
    loaded = await schedules.load_schedule(handling, schedule_id)
    if loaded is None or loaded.row.council != person.council:
        raise HTTPException(
            404, detail={"reason": f"no write-off schedule {schedule_id} for {person.council}"}
        )
    return loaded


@reads.get("/schedules/{schedule_id}")
async def show_schedule(schedule_id: UUID, person: SignedIn, service: Service) -> dict[str, Any]:
    """A schedule as presented for decision: sign over its `schedule_hash`."""
    async with _transaction(service) as handling:
        loaded = await _loaded(handling, schedule_id, person)
        history = await handling.stores.schedule_history.taken_off_schedule(schedule_id)
        return schedule_view(loaded, debtors=await debtors_of_lines(handling, loaded), taken_off=history)


class TakeLineOffBody(Body):
    """Why the line is taken off the schedule (kept in the schedule's history with who and when)."""

    reason: str = Field(min_length=1)


@acts.delete("/schedules/{schedule_id}/lines/{request_id}")
async def take_line_off(
    schedule_id: UUID, request_id: UUID, body: TakeLineOffBody, person: SignedIn, service: Service
) -> dict[str, Any]:
    """Take a line off an undecided schedule (write-off officers), giving the reason in the body; the
    schedule's history records who (the signed-in officer), when and why, and it must then be signed afresh.
    409 when the schedule is decided or the line is not on it, 422 without a reason, 404 when it is not a
    schedule of the person's council."""
    require_role(person, WRITE_OFF_OFFICER, "amend write-off schedules")
    async with _transaction(service) as handling:
        try:
            await schedules.take_line_off(
                handling, person.council, schedule_id, request_id, body.reason, person.recorded_as
            )
        except schedules.NoSuchSchedule as missing:
            raise HTTPException(404, detail={"reason": str(missing)}) from None
        except schedules.ScheduleNotAmendable as refused:
            raise HTTPException(409, detail={"reason": str(refused)}) from None
        except schedules.RemovalRefused as refused:
            raise HTTPException(422, detail={"reason": str(refused)}) from None
    async with _transaction(service) as handling:
        loaded = await _loaded(handling, schedule_id, person)
        history = await handling.stores.schedule_history.taken_off_schedule(schedule_id)
        return schedule_view(loaded, with_lines=False, taken_off=history)


def decision_view(result: schedule_decisions.DecisionResult) -> dict[str, Any]:
    """A decision as the API shows it."""
    decision = result.decision
    assert decision is not None
    return {
        "schedule_id": decision.schedule_id,
        "decided_at": decision.decided_at.isoformat(),
        "required_band": decision.required_band,
        "schedule_hash": decision.schedule_hash,
        "approved_lines_hash": decision.approved_lines_hash,
        "approved_lines": len(decision.approved_lines),
        "approved_total_pence": decision.approved_total_pence,
        "rejected_lines": [{"request_id": r.request_id, "reason": r.reason} for r in decision.rejected_lines],
        "rejected_total_pence": decision.rejected_total_pence,
        "signed_by": decision.signature.person_id if decision.signature else None,
        "statement_of_no_interest": decision.signature.statement_of_no_interest
        if decision.signature
        else None,
        "committee": decision.committee_decision.committee if decision.committee_decision else None,
        "meeting_reference": decision.committee_decision.meeting_reference
        if decision.committee_decision
        else None,
        "split_debts": [schedule_decisions.split_debt_view(split) for split in decision.split_debts],
    }


def decision_response(result: schedule_decisions.DecisionResult, schedule_id: UUID) -> Any:
    """The decision (200), or every reason there is none (401/403/409/422), or 404."""
    if not result.found:
        raise HTTPException(404, detail={"reason": f"no write-off schedule {schedule_id}"})
    if result.decision is None:
        return JSONResponse(
            {
                "detail": "; ".join(r.message for r in result.refusals),
                "refusals": [refusal_view(r) for r in result.refusals],
            },
            status_code=refusal_status(result.refusals),
        )
    return decision_view(result)


@acts.post("/schedules/{schedule_id}/signature")
async def sign_schedule(schedule_id: UUID, body: SignatureBody, person: SignedIn, service: Service) -> Any:
    """Sign the schedule as presented: 200 with the decision, or 403/409/422 with every reason (nothing posted)."""
    async with _transaction(service) as handling:
        result = await schedule_decisions.sign(
            handling, schedule_id, person, body.schedule_hash, body.statement_of_no_interest, body.rejections
        )
    return decision_response(result, schedule_id)


@acts.post("/schedules/{schedule_id}/committee-decision")
async def record_committee_decision(
    schedule_id: UUID, body: CommitteeDecisionBody, person: SignedIn, service: Service
) -> Any:
    """Record a committee's decision (committee clerks): committee, meeting reference and date."""
    require_role(person, COMMITTEE_CLERK, "record committee decisions")
    async with _transaction(service) as handling:
        result = await schedule_decisions.record_committee(
            handling,
            schedule_id,
            person,
            body.committee,
            body.meeting_reference,
            body.meeting_date,
            body.schedule_hash,
            body.rejections,
            body.interests_declared_at_meeting,
        )
    return decision_response(result, schedule_id)


@reads.get("/debtors")
async def find_debtors(q: str, person: SignedIn, service: Service) -> list[dict[str, Any]]:
    """Find the people and organisations billing has described to this service by name, postcode, address,
    account or invoice reference (every word must match; at most 20), each with the debts known of them: what a
    declaration of interest names."""
    async with _transaction(service) as handling:
        found = await handling.stores.debtors.search(search_words(q), q.strip().casefold())
    return [
        {
            "customer_id": str(f.debtor.customer_id),
            "name": f.debtor.name,
            "kind": f.debtor.kind,
            "address": f.debtor.address,
            "postcode": f.debtor.postcode,
            "references": f.debtor.account_references,
            "single_view_url": single_view_url(service.settings.workbench_url, str(f.debtor.customer_id)),
            "debts": [
                {
                    "debt_id": str(d.debt_id),
                    "debt_type": d.debt_type,
                    "reference": d.external_reference,
                    "fell_due": d.due_date.isoformat() if d.due_date else None,
                }
                for d in f.debts
            ],
        }
        for f in found
    ]


@acts.post("/declarations", status_code=201)
async def declare(body: DeclarationBody, person: SignedIn, service: Service) -> dict[str, Any]:
    """Declare an interest in a customer or a debt; from now on the person cannot sign a schedule with it."""
    if not (body.customer_id or body.debt_id):
        raise HTTPException(422, detail={"reason": "name the customer or the debt the interest is in"})
    async with _transaction(service) as handling:
        row = await declare_interest(
            handling, person.person_id, body.kind, body.customer_id, body.debt_id, body.note
        )
    return {"declaration_id": str(row.declaration_id), "person_id": row.person_id, "kind": str(row.kind)}


@reads.get("/reports/{kind}")
async def report(
    kind: ReportKind, person: SignedIn, service: Service, format: ReportFormat = ReportFormat.JSON
) -> Response:
    """Totals written off by financial year and debt area, by reason or by band; CSV or JSON."""
    async with _transaction(service) as handling:
        records = await handling.stores.write_offs.records(person.council)
    body = render_report(records, kind, format)
    if format is ReportFormat.CSV:
        return Response(
            body,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="write-offs-by-{kind}.csv"'},
        )
    return Response(body, media_type="application/json")
