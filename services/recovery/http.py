"""Recovery over HTTP, for officers: the case record (Sundry 8.7) per case and per customer; holds, arrangements,
circumstances (can't pay / won't pay, vulnerability), contacts and write-off requests recorded against cases.

Every write is one transaction with the events it causes (through the outbox). Bad input gets a 4xx with the
reason: pydantic validation (422), a hold or arrangement the domain refuses (422), an unknown case (404).

Every route needs a signed-in officer (`shared.auth`): writes a revenues or senior officer, reads also an auditor.
Who acted is the officer's token (`Principal.recorded_as`), never a field of the request.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from services.recovery.arrangements import ArrangementAsked, make_arrangement
from services.recovery.case_record import case_view, customer_view
from services.recovery.case_state import LoadedCase, load_case, reschedule
from services.recovery.court_outcomes import outcome_problems, record_outcome
from services.recovery.domain.arrangements import ArrangementError
from services.recovery.domain.escalation import WriteOffReason, WriteOffRequestError
from services.recovery.domain.exhausted_timetable import ExhaustedDecisionError, insolvency_order
from services.recovery.domain.holds import (
    Hold,
    HoldError,
    appeal_hold,
    dispute_hold,
    hardship_deferral,
    manual_hold,
    vulnerability_hold,
)
from services.recovery.domain.regulated_path import CourtOutcome, CourtResult
from services.recovery.holds import apply_hold, lift_hold
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.step_taking import StepsTaken
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry, Contact
from services.recovery.stores.customers import CircumstancesEntry
from shared.auth import Principal, Role, requires

router = APIRouter()


def _service(request: Request) -> Recovery:
    """The recovery service this app belongs to (set by bootstrap)."""
    service: Recovery = request.app.state.service
    return service


Service = Annotated[Recovery, Depends(_service)]
Officer = Annotated[Principal, Depends(requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER))]
"""A revenues or senior officer: who may change a case."""
Reader = Annotated[Principal, Depends(requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR))]
"""An officer or an auditor: who may read the case record."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HoldAsked(_Strict):
    """A hold an officer puts on a case. Breathing space holds come only from the breathing space service."""

    kind: Literal["dispute", "appeal", "vulnerability", "hardship_deferral", "manual"]
    reason: str = Field(min_length=1)
    starts_on: date | None = None
    ends_on: date | None = Field(None, description="Required for a hardship deferral")
    review_on: date | None = Field(None, description="Required for appeal, vulnerability and manual holds")
    disputed_amount_pence: int | None = Field(None, ge=0, description="Dispute over part of the debt only")


class HoldLiftAsked(_Strict):
    """An officer lifts a hold; recovery resumes where it paused."""

    reason: str = Field(min_length=1)
    lifted_on: date | None = None


class ArrangementRequest(_Strict):
    """An arrangement to pay, with the Standard Financial Statement figures it rests on. Several case ids of one
    customer make one combined arrangement."""

    case_ids: list[UUID] = Field(min_length=1)
    monthly_income_pence: int = Field(ge=0)
    monthly_expenditure_pence: int = Field(ge=0)
    first_instalment_on: date
    officer_allows_longer: bool = False


class CircumstancesRecorded(_Strict):
    """What an officer learnt of the debtor (DOMAIN.md 6): can't pay or won't pay, vulnerability indicators,
    and whether letters should be in large print."""

    vulnerable: bool = False
    indicators: list[str] = Field(default_factory=list)
    cant_pay: bool = False
    wont_pay: bool = False
    large_print: bool = False
    notes: str = ""


class CircumstancesReviewed(_Strict):
    """An officer reviewed a vulnerable or can't-pay debtor's circumstances: agent referral is no longer barred."""

    notes: str = ""


class ContactRecorded(_Strict):
    """A discussion with the debtor or about them (Sundry 8.7: every discussion is recorded)."""

    channel: Literal["phone", "letter", "email", "visit", "in_person", "web"]
    direction: Literal["inbound", "outbound"]
    summary: str = Field(min_length=1)


class CourtOutcomeRecorded(_Strict):
    """What the magistrates' court did with the case's summons, as an officer records it from the court's
    list. Only the court grants a liability order: a grant needs the court's reference and the costs awarded."""

    outcome: CourtOutcome
    heard_on: date
    court_reference: str | None = Field(default=None, description="The court's reference for the order")
    costs_awarded_pence: int = Field(default=0, ge=0)
    adjourned_to: date | None = None


class WriteOffAsked(_Strict):
    """An officer asks for the case's balance to be written off, with the reason and evidence."""

    reason: WriteOffReason
    evidence: list[str] = Field(min_length=1)
    insolvency_order_date: date | None = Field(
        default=None,
        description="Insolvency (required then): the date of the order; only the debt owed up to it is written "
        "off (Derby App.1 §7)",
    )
    owed_at_order_date_pence: int | None = Field(
        default=None,
        description="Insolvency (required then): what the debt owed on the date of the order, not more than the "
        "balance now; the amount written off",
    )


async def _one_case(handling: RecoveryHandling, case_id: UUID) -> LoadedCase:
    case = await load_case(handling.stores.cases, handling.service.policies, case_id)
    if case is None:
        raise HTTPException(404, f"no recovery case {case_id}")
    return case


def _hold_from(asked: HoldAsked, case: LoadedCase, today: date, authorised_by: str) -> Hold:
    start = asked.starts_on or today
    if asked.kind == "dispute":
        days = case.policy.dispute_resolution_days if case.policy else 30
        return dispute_hold(start, asked.reason, authorised_by, asked.disputed_amount_pence, days)
    if asked.disputed_amount_pence is not None:
        raise HoldError("only a dispute holds part of a balance")
    if asked.kind == "hardship_deferral":
        if asked.ends_on is None:
            raise HoldError("a hardship deferral needs the date it ends (ends_on)")
        return hardship_deferral(start, asked.ends_on, asked.reason, authorised_by)
    if asked.review_on is None:
        raise HoldError(f"a {asked.kind} hold needs a review date (review_on)")
    maker = {"appeal": appeal_hold, "vulnerability": vulnerability_hold, "manual": manual_hold}[asked.kind]
    return maker(start, asked.reason, authorised_by, asked.review_on)


@router.get("/cases/{case_id}")
async def get_case(case_id: UUID, service: Service, _: Reader) -> dict[str, Any]:
    """The case and its whole record: steps, notices, contacts, holds, arrangements, referrals, write-offs."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        view = await case_view(handling.stores, case_id)
    if view is None:
        raise HTTPException(404, f"no recovery case {case_id}")
    return view


@router.get("/debts/{debt_id}/case")
async def get_case_for_debt(debt_id: UUID, service: Service, _: Reader) -> dict[str, Any]:
    """The recovery case of a debt, with its record."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case_id = (await handling.stores.cases.case_ids_for_debts([debt_id])).get(debt_id)
        view = await case_view(handling.stores, case_id) if case_id else None
    if view is None:
        raise HTTPException(404, f"no recovery case for debt {debt_id}")
    return view


@router.get("/cases/{case_id}/notices/{notice_id}")
async def get_notice(case_id: UUID, notice_id: UUID, service: Service, _: Reader) -> dict[str, Any]:
    """One letter as issued."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        notice = await handling.stores.record.notice(case_id, notice_id)
    if notice is None:
        raise HTTPException(404, f"no notice {notice_id} on case {case_id}")
    return asdict(notice)


@router.get("/customers/{customer_id}/cases")
async def get_customer(customer_id: UUID, service: Service, _: Reader) -> dict[str, Any]:
    """Every case of the customer, each with its record, and the customer's circumstances and contacts."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        return await customer_view(handling.stores, customer_id)


@router.post("/cases/{case_id}/holds", status_code=201)
async def put_on_hold(case_id: UUID, asked: HoldAsked, service: Service, officer: Officer) -> dict[str, Any]:
    """Hold recovery: no step and no contact while the hold lasts (a part dispute holds only that part)."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case = await _one_case(handling, case_id)
        try:
            hold = _hold_from(asked, case, today, officer.recorded_as)
        except HoldError as refusal:
            raise HTTPException(422, str(refusal)) from None
        hold_id = await apply_hold(handling, case, hold, today)
    return {"hold_id": hold_id, "case_id": case_id, "kind": hold.kind.value, "review_on": hold.review_on}


@router.post("/cases/{case_id}/holds/{hold_id}/lift")
async def lift(
    case_id: UUID, hold_id: UUID, asked: HoldLiftAsked, service: Service, officer: Officer
) -> dict[str, Any]:
    """Lift a hold; recovery resumes where it paused."""
    day = asked.lifted_on or service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case = await _one_case(handling, case_id)
        held = next((h for h in case.holds if h.hold_id == hold_id), None)
        if held is None:
            raise HTTPException(404, f"no hold {hold_id} on case {case_id}")
        if held.hold.is_breathing_space:
            raise HTTPException(422, "a breathing space ends only when the Insolvency Service says so")
        if day < held.hold.start:
            raise HTTPException(422, "a hold cannot be lifted before it starts")
        lifted = await lift_hold(handling, case, hold_id, day, officer.recorded_as, asked.reason)
    if not lifted:
        raise HTTPException(409, f"hold {hold_id} was already lifted")
    return {"hold_id": hold_id, "lifted_on": day}


@router.post("/arrangements", status_code=201)
async def arrange(asked: ArrangementRequest, service: Service, officer: Officer) -> dict[str, Any]:
    """Make an affordable arrangement (combined when several of a customer's cases are named)."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        try:
            arrangement_id, arrangement = await make_arrangement(
                handling,
                ArrangementAsked(
                    **asked.model_dump(),
                    statement_recorded_by=officer.recorded_as,
                    made_by=officer.recorded_as,
                ),
                today,
            )
        except ArrangementError as refusal:
            raise HTTPException(422, str(refusal)) from None
    return {
        "arrangement_id": arrangement_id,
        "total_pence": arrangement.total,
        "instalments": [{"due_on": i.due_on, "amount_pence": i.amount} for i in arrangement.instalments],
        "within_policy": arrangement.within_policy,
        "note": arrangement.note,
    }


async def _record_circumstances(
    handling: RecoveryHandling,
    customer_id: UUID,
    asked: CircumstancesRecorded | None,
    recorded_by: str,
    notes: str,
    today: date,
) -> list[UUID]:
    stores = handling.stores
    case_ids = await stores.cases.case_ids_for_customer(customer_id)
    if not case_ids:
        raise HTTPException(404, f"no recovery case for customer {customer_id}")
    vulnerable_now, cant_pay_now = await stores.cases.circumstance_flags(case_ids)
    vulnerable = asked.vulnerable if asked else vulnerable_now
    cant_pay = asked.cant_pay if asked else cant_pay_now
    await stores.customers.record_circumstances(
        CircumstancesEntry(
            entry_id=uuid4(),
            customer_id=customer_id,
            recorded_on=today,
            vulnerable=vulnerable,
            cant_pay=cant_pay,
            wont_pay=asked.wont_pay if asked else False,
            indicators=tuple(asked.indicators if asked else []),
            large_print=asked.large_print if asked else False,
            reviewed=asked is None,
            notes=notes,
            recorded_by=recorded_by,
        )
    )
    if asked is not None:
        await stores.cases.set_circumstances(case_ids, asked.vulnerable, asked.cant_pay)
        if asked.large_print:
            await stores.customers.needs_large_print(customer_id)
        route = "can't pay" if asked.cant_pay else "won't pay" if asked.wont_pay else "circumstances"
        flags = ", ".join(asked.indicators) or "none"
        summary = (
            f"{route} recorded by {recorded_by}; vulnerable: {'yes' if asked.vulnerable else 'no'} "
            f"(indicators: {flags}); large print: {'yes' if asked.large_print else 'no'}. {notes}"
        ).strip()
    else:
        await stores.cases.circumstances_reviewed(case_ids, today)
        summary = f"circumstances reviewed by {recorded_by}. {notes}".strip()
    await stores.record.append([CaseEntry(case_id, today, "circumstances", summary) for case_id in case_ids])
    await reschedule(stores, handling.service.policies, case_ids, today)
    return case_ids


@router.post("/customers/{customer_id}/circumstances", status_code=201)
async def record_circumstances(
    customer_id: UUID, asked: CircumstancesRecorded, service: Service, officer: Officer
) -> dict[str, Any]:
    """Record can't pay / won't pay and vulnerability for all the customer's cases: a vulnerable or can't-pay
    debtor gets the policy's gentler route, and no agent referral until their circumstances are reviewed."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case_ids = await _record_circumstances(
            handling, customer_id, asked, officer.recorded_as, asked.notes, today
        )
    return {
        "customer_id": customer_id,
        "cases": case_ids,
        "gentler_route": asked.vulnerable or asked.cant_pay,
    }


@router.post("/customers/{customer_id}/circumstances/review")
async def review_circumstances(
    customer_id: UUID, asked: CircumstancesReviewed, service: Service, officer: Officer
) -> dict[str, Any]:
    """An officer has reviewed the debtor's circumstances: agent referral is allowed again where due."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case_ids = await _record_circumstances(
            handling, customer_id, None, officer.recorded_as, asked.notes, today
        )
    return {"customer_id": customer_id, "cases": case_ids, "reviewed_on": today}


@router.post("/cases/{case_id}/contacts", status_code=201)
async def record_contact(
    case_id: UUID, asked: ContactRecorded, service: Service, officer: Officer
) -> dict[str, Any]:
    """Record a discussion with the debtor on the case."""
    today = service.clock.today()
    contact_id = uuid4()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case = await _one_case(handling, case_id)
        await handling.stores.record.add_contact(
            Contact(
                contact_id=contact_id,
                case_id=case_id,
                customer_id=case.customer_ids[0] if case.customer_ids else None,
                contacted_on=today,
                channel=asked.channel,
                direction=asked.direction,
                officer=officer.recorded_as,
                summary=asked.summary,
            )
        )
        await handling.stores.record.append(
            [
                CaseEntry(
                    case_id,
                    today,
                    "contact",
                    f"{asked.direction} {asked.channel} ({officer.recorded_as}): {asked.summary}",
                )
            ]
        )
    return {"contact_id": contact_id}


@router.post("/cases/{case_id}/write-off-request", status_code=201)
async def ask_for_write_off(
    case_id: UUID, asked: WriteOffAsked, service: Service, officer: Officer
) -> dict[str, Any]:
    """An officer asks for the write-off (any stage): the write-off service decides by its approval bands."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case = await _one_case(handling, case_id)
        if case.row.status != "open" or case.policy is None:
            raise HTTPException(422, f"case {case_id} is {case.row.status}: no write-off can be requested")
        work = StepsTaken(today)
        try:
            order = insolvency_order(
                asked.reason,
                asked.insolvency_order_date,
                asked.owed_at_order_date_pence,
                case.state.balance,
                today,
            )
            work.ask_write_off(case, asked.reason, tuple(asked.evidence), officer.recorded_as, order)
        except (WriteOffRequestError, ExhaustedDecisionError) as refusal:
            raise HTTPException(422, str(refusal)) from None
        await work.write(handling.stores, handling.outbox)
    request = work.write_off_requests[0]
    return {"request_id": request.request_id, "amount_pence": request.amount_pence}


@router.post("/cases/{case_id}/court-outcomes", status_code=201)
async def record_court_outcome(
    case_id: UUID, asked: CourtOutcomeRecorded, service: Service, officer: Officer
) -> dict[str, Any]:
    """Record the court's outcome for the case's summons (council tax and business rates): granted (the
    liability order is recorded with the court's reference and the costs awarded, and the council's timetable
    after the order may go on), adjourned (to a later date), withdrawn (the summons costs are reversed in
    billing) or paid (before the hearing: the case ends, the summons costs as the council's policy says).
    Refused (422) without a summons on record, or when the outcome cannot stand."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case = await _one_case(handling, case_id)
        result = CourtResult(
            outcome=asked.outcome,
            heard_on=asked.heard_on,
            court_reference=(asked.court_reference or "").strip() or None,
            costs_awarded=asked.costs_awarded_pence,
            adjourned_to=asked.adjourned_to,
        )
        if problems := outcome_problems(case, result, today):
            raise HTTPException(422, f"case {case_id}: " + "; ".join(problems))
        recorded = await record_outcome(handling, case, result, officer.recorded_as, today)
    return {
        "court_result_id": recorded.court_result_id,
        "outcome": recorded.outcome.value,
        "case_closed": recorded.case_closed,
    }
