"""What an officer does on a case from the single view: record a contact, apply or lift a hold, make an
arrangement, ask for a write-off. Each form posts to the workbench, which calls recovery's route with the
officer's token; recovery records the officer as who acted (from the token, never from the form)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from services.workbench.clients import ServiceProblem
from services.workbench.domain import wording
from services.workbench.domain.forms import FormErrors, choice_from, date_from, pence_from, text_from
from services.workbench.domain.permissions import Action
from services.workbench.pages.common import Desk, OnDesk

router = APIRouter()


@dataclass(frozen=True)
class CaseForm:
    """One action's form: its template, title, the role-checked action, and what the officer is told after."""

    template: str
    title: str
    action: Action
    done: str
    done_for: Callable[[dict[str, str]], str] | None = None
    """What the officer is told, by their answers (when it depends on them)."""


HOLD = CaseForm("hold.html", "Put recovery on hold", Action.APPLY_HOLD, "Hold applied")
LIFT = CaseForm("lift_hold.html", "Lift a hold", Action.LIFT_HOLD, "Hold lifted")
CONTACT = CaseForm("contact.html", "Record a contact", Action.RECORD_CONTACT, "Contact recorded")
WRITE_OFF = CaseForm("write_off.html", "Ask for a write-off", Action.REQUEST_WRITE_OFF, "Write-off requested")
EXHAUSTED_DECIDED = {
    "write_off": "Decision recorded: the write-off is requested, and the write-off service decides it by the "
    "council's approval bands",
    "legal_action": "Decision recorded: legal action",
    "arrangement": "Decision recorded: now make the arrangement to pay",
    "cancel": "Decision recorded: recovery is cancelled and the case closed",
}
EXHAUSTED_DECISION = CaseForm(
    "exhausted_decision.html",
    "Timetable exhausted: take the decision",
    Action.DECIDE_EXHAUSTED_CASE,
    "Decision recorded",
    lambda fields: EXHAUSTED_DECIDED.get(fields.get("decision", ""), "Decision recorded"),
)
ARRANGEMENT = CaseForm(
    "arrangement.html", "Make an arrangement to pay", Action.MAKE_ARRANGEMENT, "Arrangement made"
)

Call = Callable[[], Awaitable[object]]
"""The service call an action makes once its form has no errors."""


async def _show(
    desk: Desk,
    form: CaseForm,
    customer_id: UUID,
    case_id: UUID | None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """The form (with the case it acts on), blank or with the officer's answers, errors and any refusal."""
    desk.require(form.action)
    try:
        case = await desk.services.recovery.case(case_id) if case_id else None
    except ServiceProblem as problem:
        return desk.problem(problem)
    extra.setdefault("fields", {})
    return desk.render(
        form.template,
        status_code=status_code,
        title=form.title,
        customer_id=customer_id,
        case_id=case_id,
        case=case,
        **extra,
    )


async def _submit(
    desk: Desk,
    form: CaseForm,
    customer_id: UUID,
    case_id: UUID | None,
    fields: dict[str, str],
    errors: FormErrors,
    call: Call,
    **extra: Any,
) -> Response:
    """Call the service unless the form has errors; its refusal is shown on the form with its reason."""

    async def page(**shown: Any) -> Response:
        return await _show(desk, form, customer_id, case_id, 422, fields=fields, **shown, **extra)

    done = form.done_for(fields) if form.done_for else form.done
    return await desk.submit(page, errors, call, f"/customers/{customer_id}", done)


async def _act(
    desk: Desk,
    form: CaseForm,
    customer_id: UUID,
    case_id: UUID,
    asked: Callable[[dict[str, str], FormErrors], Call],
    **extra: Any,
) -> Response:
    """One case action posted: the officer's roles checked, the form read by `asked` (which names each mistake
    in `errors` and gives the service call to make), then submitted."""
    desk.require(form.action)
    fields = await desk.fields()
    errors = FormErrors()
    call = asked(fields, errors)
    return await _submit(desk, form, customer_id, case_id, fields, errors, call, **extra)


FORMS_ON_A_CASE = {
    "hold": HOLD,
    "contact": CONTACT,
    "write-off": WRITE_OFF,
    "exhausted-decision": EXHAUSTED_DECISION,
}


async def _awaiting(desk: Desk, customer_id: UUID, case_id: UUID) -> dict[str, Any] | None:
    """Recovery's tray entry for the case (days waiting, last step), or None when it is not waiting or the tray
    could not be read (recovery still decides whether the case may be decided)."""
    try:
        tray = await desk.services.recovery.cases_awaiting_decision(customer_id)
    except ServiceProblem:
        return None
    return next((c for c in tray.get("cases", []) if str(c.get("case_id")) == str(case_id)), None)


@router.get("/customers/{customer_id}/cases/{case_id}/{form_name}")
async def case_form(customer_id: UUID, case_id: UUID, form_name: str, desk: OnDesk) -> Response:
    """A blank form for an action on the case: put recovery on hold (kind, reason and its authority, start,
    review or end date), record a contact (how it was made, what was said), ask for a write-off (the reason
    and the evidence), or take the decision on a case whose timetable is exhausted (write off with the reason,
    evidence and for an insolvency the order's date and what was owed on it; legal action; an arrangement;
    cancel with the reason), shown with how long it has waited."""
    form = FORMS_ON_A_CASE.get(form_name)
    if form is None:
        raise HTTPException(404, f"no form {form_name!r} on a case")
    if form is EXHAUSTED_DECISION:
        desk.require(form.action)
        return await _show(
            desk, form, customer_id, case_id, awaiting=await _awaiting(desk, customer_id, case_id)
        )
    return await _show(desk, form, customer_id, case_id)


@router.post("/customers/{customer_id}/cases/{case_id}/hold")
async def apply_hold(customer_id: UUID, case_id: UUID, desk: OnDesk) -> Response:
    """Apply the hold through recovery."""

    def asked(fields: dict[str, str], errors: FormErrors) -> Call:
        kind = choice_from(fields, "kind", wording.HOLD_KINDS, "Select why recovery is held", errors)
        reason = text_from(fields, "reason", "the reason and the authority for the hold", errors)
        starts_on = date_from(fields, "starts-on", "the date the hold starts", errors, required=False)
        review_on = date_from(
            fields,
            "review-on",
            "the date the hold is reviewed",
            errors,
            required=kind in wording.HOLDS_NEEDING_REVIEW,
        )
        ends_on = date_from(
            fields,
            "ends-on",
            "the date the deferral ends",
            errors,
            required=kind in wording.HOLDS_NEEDING_END,
        )
        disputed = pence_from(fields, "disputed-amount", "the amount disputed", errors, required=False)
        return lambda: desk.services.recovery.apply_hold(
            case_id,
            kind=kind,
            reason=reason,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
            disputed_amount_pence=disputed,
        )

    return await _act(desk, HOLD, customer_id, case_id, asked)


@router.get("/customers/{customer_id}/cases/{case_id}/holds/{hold_id}/lift")
async def lift_form(customer_id: UUID, case_id: UUID, hold_id: UUID, desk: OnDesk) -> Response:
    """Why the hold is lifted, and from when."""
    return await _show(desk, LIFT, customer_id, case_id, hold_id=hold_id)


@router.post("/customers/{customer_id}/cases/{case_id}/holds/{hold_id}/lift")
async def lift_hold(customer_id: UUID, case_id: UUID, hold_id: UUID, desk: OnDesk) -> Response:
    """Lift the hold through recovery: recovery resumes where it paused."""

    def asked(fields: dict[str, str], errors: FormErrors) -> Call:
        reason = text_from(fields, "reason", "why the hold is lifted", errors)
        lifted_on = date_from(fields, "lifted-on", "the date the hold is lifted", errors, required=False)
        return lambda: desk.services.recovery.lift_hold(case_id, hold_id, reason, lifted_on)

    return await _act(desk, LIFT, customer_id, case_id, asked, hold_id=hold_id)


@router.post("/customers/{customer_id}/cases/{case_id}/contact")
async def record_contact(customer_id: UUID, case_id: UUID, desk: OnDesk) -> Response:
    """Record the contact on the case through recovery."""

    def asked(fields: dict[str, str], errors: FormErrors) -> Call:
        channel = choice_from(
            fields, "channel", wording.CONTACT_CHANNELS, "Select how the contact was made", errors
        )
        direction = choice_from(
            fields, "direction", wording.CONTACT_DIRECTIONS, "Select who made the contact", errors
        )
        summary = text_from(fields, "summary", "what was discussed", errors)
        return lambda: desk.services.recovery.record_contact(case_id, channel, direction, summary)

    return await _act(desk, CONTACT, customer_id, case_id, asked)


def _write_off_asked(fields: dict[str, str], errors: FormErrors, reason_field: str) -> tuple[str, list[str]]:
    """The write-off's reason and its evidence, one document or record a line (both forms that ask for one)."""
    reason = choice_from(
        fields, reason_field, wording.WRITE_OFF_REASONS, "Select the reason for the write-off", errors
    )
    evidence_text = text_from(fields, "evidence", "the evidence, one document or record a line", errors)
    return reason, [line.strip() for line in evidence_text.splitlines() if line.strip()]


@router.post("/customers/{customer_id}/cases/{case_id}/write-off")
async def request_write_off(customer_id: UUID, case_id: UUID, desk: OnDesk) -> Response:
    """Ask recovery to request the write-off; the write-off service decides by its bands."""

    def asked(fields: dict[str, str], errors: FormErrors) -> Call:
        reason, evidence = _write_off_asked(fields, errors, "reason")
        return lambda: desk.services.recovery.request_write_off(case_id, reason, evidence)

    return await _act(desk, WRITE_OFF, customer_id, case_id, asked)


@router.post("/customers/{customer_id}/cases/{case_id}/exhausted-decision")
async def take_exhausted_decision(customer_id: UUID, case_id: UUID, desk: OnDesk) -> Response:
    """Send the officer's decision to recovery, which records the officer from the token (issue 19)."""

    def asked(fields: dict[str, str], errors: FormErrors) -> Call:
        decision = choice_from(
            fields, "decision", wording.EXHAUSTED_DECISIONS, "Select what happens to this debt", errors
        )
        notes = fields.get("notes", "").strip()
        if len(notes) > 2000:
            errors.add("notes", "Notes must be 2000 characters or fewer")
        if decision == "write_off":
            reason, evidence = _write_off_asked(fields, errors, "write-off-reason")
            insolvency = reason == wording.INSOLVENCY_WRITE_OFF
            order_date = date_from(
                fields,
                "insolvency-order-date",
                "the date of the insolvency order",
                errors,
                required=insolvency,
            )
            owed = pence_from(
                fields,
                "owed-at-order-date",
                "what was owed on the date of the order",
                errors,
                required=insolvency,
            )
            return lambda: desk.services.recovery.decide_exhausted_case(
                case_id,
                decision,
                write_off_reason=reason,
                evidence=evidence,
                notes=notes,
                insolvency_order_date=order_date if insolvency else None,
                owed_at_order_date_pence=owed if insolvency else None,
            )
        if decision == "cancel":
            why = text_from(fields, "cancel-reason", "why recovery is cancelled", errors)
            notes = f"{why}\n{notes}".strip() if notes else why
        return lambda: desk.services.recovery.decide_exhausted_case(case_id, decision, notes=notes)

    desk.require(EXHAUSTED_DECISION.action)
    return await _act(
        desk,
        EXHAUSTED_DECISION,
        customer_id,
        case_id,
        asked,
        awaiting=await _awaiting(desk, customer_id, case_id),
    )


async def _open_cases(desk: Desk, customer_id: UUID) -> list[dict[str, Any]]:
    cases = await desk.services.recovery.cases_of_customer(customer_id)
    return [c for c in cases.get("cases", []) if c["case"].get("status") == "open"]


@router.get("/customers/{customer_id}/arrangement")
async def arrangement_form(customer_id: UUID, desk: OnDesk) -> Response:
    """The Standard Financial Statement's income and spending, the cases it covers, and the first payment date."""
    desk.require(ARRANGEMENT.action)
    try:
        cases = await _open_cases(desk, customer_id)
    except ServiceProblem as problem:
        return desk.problem(problem)
    return await _show(desk, ARRANGEMENT, customer_id, None, cases=cases)


@router.post("/customers/{customer_id}/arrangement")
async def make_arrangement(customer_id: UUID, desk: OnDesk) -> Response:
    """Make the arrangement through recovery (combined when several cases are chosen)."""
    desk.require(ARRANGEMENT.action)
    form = await desk.form()
    chosen = form.get("case-ids", [])
    fields = {key: values[-1] for key, values in form.items()}
    errors = FormErrors()
    try:
        cases = await _open_cases(desk, customer_id)
    except ServiceProblem as problem:
        return desk.problem(problem)
    if not chosen or not set(chosen) <= {str(c["case"]["case_id"]) for c in cases}:
        errors.add("case-ids", "Select the debts the arrangement covers")
    income = pence_from(fields, "income", "the monthly income", errors, required=True)
    spending = pence_from(fields, "expenditure", "the monthly spending", errors, required=True)
    first_on = date_from(
        fields, "first-instalment-on", "the date of the first payment", errors, required=True
    )
    longer = fields.get("officer-allows-longer") == "yes"

    async def call() -> object:
        assert income is not None and spending is not None and first_on is not None  # checked above
        return await desk.services.recovery.make_arrangement(
            [UUID(c) for c in chosen], income, spending, first_on, longer
        )

    return await _submit(
        desk, ARRANGEMENT, customer_id, None, fields, errors, call, cases=cases, chosen=chosen
    )
