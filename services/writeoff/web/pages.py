"""The approvals page for people: sign in, the queue of schedules awaiting the signed-in approver, each line with
its reason and evidence, approve or reject lines with a reason under the statement of no interest, record a
committee's decision, and declare interests. Server-rendered HTML; forms carry an anti-forgery value bound to
the session."""

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

from services.writeoff import schedule_decisions, schedules, signing_in
from services.writeoff.approvers import COMMITTEE_CLERK, WRITE_OFF_OFFICER, Person
from services.writeoff.declarations import declare_interest
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import InterestKind
from services.writeoff.sessions import IdentityRefused
from services.writeoff.signing_in import signed_in_person
from services.writeoff.stores import WriteOffStores
from services.writeoff.web.identity import SESSION_COOKIE, client_address, write_off_service
from services.writeoff.web.views import awaiting, refusal_status, schedule_view
from shared.messaging.inbox_router import Handling
from shared.money import format_pounds

router = APIRouter()
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
templates.filters["pounds"] = format_pounds


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered as the response."""
    return HTMLResponse(templates.get_template(name).render(**context), status_code=status)


class SignedInPage:
    """The person behind the session cookie, or the response that sends them to sign in."""

    def __init__(self, request: Request) -> None:
        self.service = write_off_service(request)
        self.token = request.cookies.get(SESSION_COOKIE)
        self.person: Person | None = None
        self.refusal: Response | None = None

    @classmethod
    async def of(cls, request: Request) -> SignedInPage:
        """The page's session checked: genuine, unexpired and not signed out (else `refusal` is set)."""
        signed_in = cls(request)
        if not signed_in.token:
            signed_in.refusal = RedirectResponse("/sign-in", status_code=303)
            return signed_in
        try:
            signed_in.person = await signed_in_person(signed_in.service, signed_in.token)
        except IdentityRefused as refused:
            signed_in.refusal = page(
                "refused.html", 401, title="Not signed in", reasons=[refused.reason], person=None
            )
        return signed_in

    @property
    def form_token(self) -> str:
        """The anti-forgery value this session's forms carry."""
        return self.service.sessions.form_token(self.token or "")

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Handling[WriteOffStores, WriteOff]]:
        """One transaction of the service's stores and outbox, for this page."""
        return self.service.runtime.transaction(WriteOffStores.on, self.service)


async def form_of(request: Request) -> dict[str, list[str]]:
    """An url-encoded form body."""
    return parse_qs((await request.body()).decode(), keep_blank_values=True)


def forged_form(signed_in: SignedInPage, form: dict[str, list[str]]) -> Response | None:
    """403 unless the form carries this session's anti-forgery value."""
    if (form.get("form_token") or [""])[0] != signed_in.form_token:
        return page(
            "refused.html",
            403,
            title="Form refused",
            reasons=[
                "the form did not come from this service's page for your session; reload it and try again"
            ],
            person=signed_in.person,
        )
    return None


@router.get("/", include_in_schema=False)
async def home() -> Response:
    return RedirectResponse("/approvals", status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page() -> HTMLResponse:
    """The sign-in form."""
    return page("sign_in.html", person=None, problem=None)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Check the password against the directory and start a session (an HttpOnly, same-site cookie); after too
    many wrong passwords, say how long to wait (429 with Retry-After) without checking."""
    service = write_off_service(request)
    form = await form_of(request)
    outcome = await signing_in.sign_in(
        service,
        (form.get("person_id") or [""])[0],
        (form.get("password") or [""])[0],
        client_address(request),
    )
    if isinstance(outcome, signing_in.Throttled):
        throttled = page(
            "sign_in.html",
            429,
            person=None,
            problem=f"Too many wrong passwords. Try again in {outcome.retry_after_seconds} seconds.",
        )
        throttled.headers["Retry-After"] = str(outcome.retry_after_seconds)
        return throttled
    if isinstance(outcome, signing_in.NotRecognised):
        return page("sign_in.html", 401, person=None, problem="Person id or password not recognised.")
    response = RedirectResponse("/approvals", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        outcome.token,
        max_age=service.sessions.lifetime_seconds,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    """End the session for good (the cookie's token is refused from now on, even if kept), and drop the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        # A token that no longer verifies has no session left to end.
        with contextlib.suppress(IdentityRefused):
            await signing_in.sign_out(write_off_service(request), token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/approvals", response_class=HTMLResponse)
async def queue(request: Request) -> Response:
    """The schedules awaiting the signed-in approver (or, for a committee clerk, a committee's decision)."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    async with signed_in.transaction() as handling:
        loaded = await schedules.schedules_of_council(handling, signed_in.person.council)
    mine = [schedule_view(s, with_lines=False) for s in awaiting(signed_in.person, loaded)]
    is_officer = WRITE_OFF_OFFICER in signed_in.person.roles
    return page(
        "queue.html",
        person=signed_in.person,
        schedules=mine,
        is_officer=is_officer,
        every_schedule=[schedule_view(s, with_lines=False) for s in loaded] if is_officer else [],
        form_token=signed_in.form_token,
    )


@router.post("/approvals/schedules")
async def build(request: Request) -> Response:
    """A write-off officer puts the council's pending requests on schedules, one per band table."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    if forged := forged_form(signed_in, await form_of(request)):
        return forged
    if WRITE_OFF_OFFICER not in signed_in.person.roles:
        return page(
            "refused.html",
            403,
            title="No schedule built",
            reasons=["only a write-off officer builds schedules"],
            person=signed_in.person,
        )
    async with signed_in.transaction() as handling:
        await schedules.build_schedules(handling, signed_in.person.council, signed_in.person.person_id)
    return RedirectResponse("/approvals", status_code=303)


@router.get("/approvals/{schedule_id}", response_class=HTMLResponse)
async def schedule_page(schedule_id: UUID, request: Request) -> Response:
    """A schedule's lines with reasons and evidence, and the form to decide it."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    async with signed_in.transaction() as handling:
        loaded = await schedules.load_schedule(handling, schedule_id)
    if loaded is None or loaded.row.council != signed_in.person.council:
        return page(
            "refused.html",
            404,
            title="No such schedule",
            reasons=[f"no schedule {schedule_id}"],
            person=signed_in.person,
        )
    view = schedule_view(loaded)
    return page(
        "schedule.html",
        person=signed_in.person,
        schedule=view,
        form_token=signed_in.form_token,
        is_clerk=COMMITTEE_CLERK in signed_in.person.roles,
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


@router.post("/approvals/{schedule_id}/signature")
async def sign(schedule_id: UUID, request: Request) -> Response:
    """Sign the schedule as it was presented, rejecting the ticked lines with their reasons."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    form = await form_of(request)
    if forged := forged_form(signed_in, form):
        return forged
    async with signed_in.transaction() as handling:
        result = await schedule_decisions.sign(
            handling,
            schedule_id,
            signed_in.person,
            (form.get("schedule_hash") or [""])[0],
            (form.get("no_interest") or [""])[0] == "yes",
            _rejections(form),
        )
    return _outcome(result, signed_in.person, schedule_id)


@router.post("/approvals/{schedule_id}/committee-decision")
async def committee_decision(schedule_id: UUID, request: Request) -> Response:
    """Record the committee's decision as minuted."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    form = await form_of(request)
    if forged := forged_form(signed_in, form):
        return forged
    if COMMITTEE_CLERK not in signed_in.person.roles:
        return page(
            "refused.html",
            403,
            title="Not recorded",
            reasons=["only a committee clerk records committee decisions"],
            person=signed_in.person,
        )
    try:
        meeting_date = date.fromisoformat((form.get("meeting_date") or [""])[0])
    except ValueError:
        return page(
            "refused.html",
            422,
            title="Not recorded",
            reasons=["give the meeting date as YYYY-MM-DD"],
            person=signed_in.person,
        )
    async with signed_in.transaction() as handling:
        result = await schedule_decisions.record_committee(
            handling,
            schedule_id,
            signed_in.person,
            (form.get("committee") or [""])[0],
            (form.get("meeting_reference") or [""])[0],
            meeting_date,
            (form.get("schedule_hash") or [""])[0],
            _rejections(form),
            (form.get("interests_declared_at_meeting") or [""])[0],
        )
    return _outcome(result, signed_in.person, schedule_id)


@router.get("/declarations", response_class=HTMLResponse)
async def declarations_page(request: Request) -> Response:
    """The signed-in person's declarations of interest, and the form to declare another."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    async with signed_in.transaction() as handling:
        declared = await handling.stores.declarations.of_person(signed_in.person.person_id)
    return page(
        "declarations.html",
        person=signed_in.person,
        declarations=declared,
        kinds=list(InterestKind),
        form_token=signed_in.form_token,
    )


@router.post("/declarations")
async def declare(request: Request) -> Response:
    """Declare an interest in a customer or a debt."""
    signed_in = await SignedInPage.of(request)
    if signed_in.refusal or signed_in.person is None:
        return signed_in.refusal or RedirectResponse("/sign-in", status_code=303)
    form = await form_of(request)
    if forged := forged_form(signed_in, form):
        return forged
    customer_id = (form.get("customer_id") or [""])[0].strip()
    debt_id = (form.get("debt_id") or [""])[0].strip()
    try:
        kind = InterestKind((form.get("kind") or [""])[0])
    except ValueError:
        kind = None
    if kind is None or not (customer_id or debt_id):
        return page(
            "refused.html",
            422,
            title="Not declared",
            reasons=["choose the kind of interest and name the customer or the debt"],
            person=signed_in.person,
        )
    async with signed_in.transaction() as handling:
        await declare_interest(
            handling, signed_in.person.person_id, kind, customer_id, debt_id, (form.get("note") or [""])[0]
        )
    return RedirectResponse("/declarations", status_code=303)
