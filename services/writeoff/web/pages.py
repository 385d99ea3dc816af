"""The approvals pages for people: the queue of schedules awaiting the signed-in approver, each line with its
debtor (name, account reference, debt age, a link to their single view on the workbench), reason and evidence;
approve or reject lines with a reason under the statement of no interest, record a committee's decision, and
declare interests by finding the person. Server-rendered HTML.

Signing in and out is `shared.auth.browser_sign_in` (the council's identity provider, authorization code with
PKCE; the session cookie holds the provider's access token, verified on every request). A form posted with the
cookie is accepted only from this site's own pages (shared.auth checks its Origin), so the forms carry no
anti-forgery value of their own.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.writeoff import considered_payments, schedule_decisions, schedules
from services.writeoff.approvers import COMMITTEE_CLERK, WRITE_OFF_OFFICER, Person
from services.writeoff.declarations import declare_interest
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import InterestKind
from services.writeoff.domain.considered_payments import (
    ConsiderationOutcome,
    NotConsidered,
    roles_that_consider,
)
from services.writeoff.domain.debtors import search_words
from services.writeoff.stores import WriteOffStores
from services.writeoff.web.identity import Service, SignedIn
from services.writeoff.web.views import (
    awaiting,
    debtors_of_lines,
    refusal_status,
    schedule_view,
    single_view_url,
)
from shared.auth import Role
from shared.messaging.inbox_router import Handling
from shared.money import format_pounds

reads = APIRouter(include_in_schema=False)
acts = APIRouter(include_in_schema=False)
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
templates.filters["pounds"] = format_pounds


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered as the response."""
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status)


def _transaction(
    service: WriteOff,
) -> contextlib.AbstractAsyncContextManager[Handling[WriteOffStores, WriteOff]]:
    return service.runtime.transaction(WriteOffStores.on, service)


async def form_of(request: Request) -> dict[str, list[str]]:
    """An url-encoded form body."""
    return parse_qs((await request.body()).decode(), keep_blank_values=True)


def _field(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0]


@reads.get("/")
async def home(person: SignedIn) -> Response:
    """The queue is the approvals pages' home."""
    return RedirectResponse("/approvals", status_code=303)


@reads.get("/approvals", response_class=HTMLResponse)
async def queue(person: SignedIn, service: Service) -> Response:
    """The schedules awaiting the signed-in approver (or, for a committee clerk, a committee's decision)."""
    async with _transaction(service) as handling:
        loaded = await schedules.schedules_of_council(handling, person.council)
    mine = [schedule_view(s, with_lines=False) for s in awaiting(person, loaded)]
    is_officer = WRITE_OFF_OFFICER in person.roles
    return page(
        "queue.html",
        person=person,
        schedules=mine,
        is_officer=is_officer,
        every_schedule=[schedule_view(s, with_lines=False) for s in loaded] if is_officer else [],
    )


@acts.post("/approvals/schedules")
async def build(person: SignedIn, service: Service) -> Response:
    """A write-off officer puts the council's pending requests on schedules, one per band table."""
    if WRITE_OFF_OFFICER not in person.roles:
        return page(
            "refused.html",
            403,
            title="No schedule built",
            reasons=["only a write-off officer builds schedules"],
            person=person,
        )
    async with _transaction(service) as handling:
        await schedules.build_schedules(handling, person.council, person.person_id)
    return RedirectResponse("/approvals", status_code=303)


@reads.get("/approvals/{schedule_id}", response_class=HTMLResponse)
async def schedule_page(schedule_id: UUID, person: SignedIn, service: Service) -> Response:
    """A schedule's lines with reasons and evidence, and the form to decide it."""
    async with _transaction(service) as handling:
        loaded = await schedules.load_schedule(handling, schedule_id)
        debtors = await debtors_of_lines(handling, loaded) if loaded else {}
    if loaded is None or loaded.row.council != person.council:
        return page(
            "refused.html",
            404,
            title="No such schedule",
            reasons=[f"no schedule {schedule_id}"],
            person=person,
        )
    view = schedule_view(loaded, debtors=debtors)
    return page(
        "schedule.html",
        person=person,
        schedule=view,
        is_clerk=COMMITTEE_CLERK in person.roles,
    )


def _rejections(form: dict[str, list[str]]) -> dict[str, str]:
    return {
        request_id: (form.get(f"reason_{request_id}") or [""])[0] for request_id in form.get("reject", [])
    }


def _outcome(result: schedule_decisions.DecisionResult, person: Person, schedule_id: UUID) -> Response:
    if not result.found:
        return page(
            "refused.html",
            404,
            title="No such schedule",
            reasons=[f"no schedule {schedule_id}"],
            person=person,
        )
    if result.decision is None:
        return page(
            "refused.html",
            refusal_status(result.refusals),
            title="Not signed: nothing was approved",
            reasons=[r.message for r in result.refusals],
            person=person,
            schedule_id=schedule_id,
        )
    return page("decided.html", person=person, decision=result.decision)


@acts.post("/approvals/{schedule_id}/signature")
async def sign(schedule_id: UUID, request: Request, person: SignedIn, service: Service) -> Response:
    """Sign the schedule as it was presented, rejecting the ticked lines with their reasons."""
    form = await form_of(request)
    async with _transaction(service) as handling:
        result = await schedule_decisions.sign(
            handling,
            schedule_id,
            person,
            (form.get("schedule_hash") or [""])[0],
            (form.get("no_interest") or [""])[0] == "yes",
            _rejections(form),
        )
    return _outcome(result, person, schedule_id)


@acts.post("/approvals/{schedule_id}/committee-decision")
async def committee_decision(
    schedule_id: UUID, request: Request, person: SignedIn, service: Service
) -> Response:
    """Record the committee's decision as minuted."""
    form = await form_of(request)
    if COMMITTEE_CLERK not in person.roles:
        return page(
            "refused.html",
            403,
            title="Not recorded",
            reasons=["only a committee clerk records committee decisions"],
            person=person,
        )
    try:
        meeting_date = date.fromisoformat((form.get("meeting_date") or [""])[0])
    except ValueError:
        return page(
            "refused.html",
            422,
            title="Not recorded",
            reasons=["give the meeting date as YYYY-MM-DD"],
            person=person,
        )
    async with _transaction(service) as handling:
        result = await schedule_decisions.record_committee(
            handling,
            schedule_id,
            person,
            (form.get("committee") or [""])[0],
            (form.get("meeting_reference") or [""])[0],
            meeting_date,
            (form.get("schedule_hash") or [""])[0],
            _rejections(form),
            (form.get("interests_declared_at_meeting") or [""])[0],
        )
    return _outcome(result, person, schedule_id)


@reads.get("/declarations", response_class=HTMLResponse)
async def declarations_page(person: SignedIn, service: Service, q: str = "") -> Response:
    """The signed-in person's declarations of interest, and finding a person (by name, postcode, address,
    account or invoice reference) to declare an interest in them or in one of their debts."""
    async with _transaction(service) as handling:
        declared = await handling.stores.declarations.of_person(person.person_id)
        found = await handling.stores.debtors.search(search_words(q), q.strip().casefold()) if q else []
        named = await handling.stores.debtors.debtors(d.customer_id for d in declared if d.customer_id)
        debts = await handling.stores.debtors.debts(_uuids(d.debt_id for d in declared if d.debt_id))
    return page(
        "declarations.html",
        person=person,
        declarations=[
            {
                "kind": str(d.kind),
                "who": named[d.customer_id].name if d.customer_id in named else (d.customer_id or ""),
                "debt": _debt_named(debts, d.debt_id),
                "note": d.note,
            }
            for d in declared
        ],
        query=q,
        searched=bool(q),
        found=found,
        workbench=lambda customer_id: single_view_url(service.settings.workbench_url, str(customer_id)),
        kinds=list(InterestKind),
    )


def _uuids(values: Any) -> list[UUID]:
    found = []
    for value in values:
        with contextlib.suppress(ValueError):
            found.append(UUID(str(value)))
    return found


def _debt_named(debts: dict[UUID, Any], debt_id: str | None) -> str:
    if not debt_id:
        return ""
    with contextlib.suppress(ValueError):
        known = debts.get(UUID(debt_id))
        if known is not None and known.external_reference:
            return str(known.external_reference)
    return debt_id


@acts.post("/declarations")
async def declare(request: Request, person: SignedIn, service: Service) -> Response:
    """Declare an interest in a person found by search (or in one of their debts). The customer or debt must
    be one billing has described to this service: an interest is declared in someone, not in a typed id."""
    form = await form_of(request)
    customer_id = _field(form, "customer_id").strip()
    debt_id = _field(form, "debt_id").strip()
    try:
        kind: InterestKind | None = InterestKind(_field(form, "kind"))
    except ValueError:
        kind = None
    async with _transaction(service) as handling:
        known_customer = bool(await handling.stores.debtors.debtors([customer_id])) if customer_id else False
        known_debt = bool(await handling.stores.debtors.debts(_uuids([debt_id]))) if debt_id else False
        if kind is None or not (known_customer or known_debt):
            return page(
                "refused.html",
                422,
                title="Not declared",
                reasons=[
                    "find the person (by name, postcode or reference), then choose the kind of interest"
                ],
                person=person,
            )
        await declare_interest(
            handling,
            person.person_id,
            kind,
            customer_id if known_customer else None,
            debt_id if known_debt else None,
            _field(form, "note"),
        )
    return RedirectResponse("/declarations", status_code=303)


def _may_consider(person: Person, service: WriteOff) -> bool:
    policy = service.policies.get(person.council)
    return any(
        person.holds(r) for r in roles_that_consider(policy.reinstatement_referral_role if policy else None)
    )


@reads.get("/payments-for-consideration", response_class=HTMLResponse)
async def payments_for_consideration_page(person: SignedIn, service: Service) -> Response:
    """The council's payments on written-off debts that can no longer lawfully be enforced, each with who paid
    on whose debt, and the form to accept, reinstate or refund it (the referral officer, write-off officers)."""
    if not (_may_consider(person, service) or person.holds(Role.AUDITOR)):
        return page(
            "refused.html",
            403,
            title="You do not have access",
            reasons=["only the council's referral officer, write-off officers and auditors see this tray"],
            person=person,
        )
    async with _transaction(service) as handling:
        held = await handling.stores.reinstatements.awaiting_consideration(person.council)
        debts = await handling.stores.debtors.debts(item.debt_id for item in held)
        debtors = await handling.stores.debtors.debtors(c for d in debts.values() for c in d.customer_ids)
    items = []
    for item in held:
        debt = debts.get(item.debt_id)
        names = [debtors[c].name for c in (debt.customer_ids if debt else ()) if c in debtors]
        items.append(
            {
                "payment_id": str(item.payment_id),
                "debtor": ", ".join(names) or "not described by billing",
                "debt_reference": (debt.external_reference if debt else None) or str(item.debt_id),
                "reason_code": item.reason_code.replace("_", " "),
                "payment_pence": item.payment_pence,
                "received_on": item.received_on.isoformat(),
            }
        )
    return page(
        "considerations.html",
        person=person,
        items=items,
        may_decide=_may_consider(person, service),
        outcomes=list(ConsiderationOutcome),
    )


@acts.post("/payments-for-consideration/{payment_id}/decision")
async def decide_payment(payment_id: UUID, request: Request, person: SignedIn, service: Service) -> Response:
    """Record the officer's decision on a held payment, with the reason."""
    form = await form_of(request)
    try:
        outcome = ConsiderationOutcome(_field(form, "outcome"))
    except ValueError:
        return page(
            "refused.html",
            422,
            title="Not decided",
            reasons=["choose accept, reinstate or refund"],
            person=person,
        )
    async with _transaction(service) as handling:
        decision = await considered_payments.decide(
            handling, payment_id, person, outcome, _field(form, "reason")
        )
    if decision is None:
        return page(
            "refused.html", 404, title="Not decided", reasons=[f"no payment {payment_id} held"], person=person
        )
    if isinstance(decision, NotConsidered):
        return page(
            "refused.html", decision.status, title="Not decided", reasons=[decision.reason], person=person
        )
    return RedirectResponse("/payments-for-consideration", status_code=303)
