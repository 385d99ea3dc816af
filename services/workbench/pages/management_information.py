"""Management information (issue 20), as billing reports it: the KPIs by month and year, aged debt by
directorate and service, the bad debt provision with the council's percentages per age band, and the monthly
budget-holder review with each debt's decision and its 10-working-day deadline (overdue ones marked), where a
senior officer or the debt's budget holder records the decision; each report downloads as billing's own CSV
export, passed through as billing gave it. Read by revenues and senior officers and auditors (billing's readers
among the workbench's people); a budget holder reads the review alone, of their own directorate as billing
scopes it; the operations team lists the month's review without reading it."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from services.workbench.clients import NotFound, Refused, ServiceProblem
from services.workbench.clients.management_information import REPORTS
from services.workbench.domain import wording
from services.workbench.domain.forms import FormErrors, choice_from, date_from
from services.workbench.domain.management_information import (
    MONTH,
    REVIEWS_PER_PAGE,
    aged_rows,
    financial_year_from,
    month_from,
    page_asked,
    pages_of,
    summed_by,
)
from services.workbench.domain.permissions import (
    Action,
    actions_allowed,
    may_read_budget_holder_review,
    may_read_management_information,
)
from services.workbench.pages.common import Desk, OnDesk

router = APIRouter()

BASE = "/management-information"
REVIEWS = f"{BASE}/budget-holder-reviews"

CSV_PARAMETERS = {
    "kpis": ("financial_year", "month"),
    "aged-debt": ("as_of",),
    "bad-debt-provision": ("as_of",),
    "budget-holder-reviews": ("month",),
}
"""What each report's CSV export is asked for, as billing names it."""
assert set(CSV_PARAMETERS) == set(REPORTS)


def csv_link(report: str, **params: str | None) -> str:
    """Where the officer downloads a report as billing's CSV, for the same period as the page shows."""
    asked = {k: v for k, v in params.items() if v}
    return f"{BASE}/{report}.csv" + (f"?{urlencode(asked)}" if asked else "")


def _reader(desk: Desk) -> None:
    if not may_read_management_information(desk.officer.roles):
        raise HTTPException(
            403, "management information is read by revenues and senior officers and auditors"
        )


def _review_reader(desk: Desk) -> None:
    if not may_read_budget_holder_review(desk.officer.roles):
        raise HTTPException(
            403,
            "the budget-holder review is read by revenues and senior officers, auditors and budget holders",
        )


def _query(desk: Desk) -> dict[str, str]:
    return dict(desk.request.query_params)


def _listed_month(month: str) -> str:
    """The review month of a page's path, as billing names it (2026-05); anything else is no page."""
    if MONTH.match(month) is None:
        raise HTTPException(404, f"no budget-holder review of {month!r}")
    return month


@router.get(BASE)
async def management_information(desk: OnDesk) -> Response:
    """The reports, each with what it shows."""
    _reader(desk)
    return desk.render("management_information.html", title="Management information")


@router.get(f"{BASE}/kpis")
async def kpis(desk: OnDesk) -> Response:
    """The KPIs for each month of a financial year begun and the year (default: the current), or one month."""
    _reader(desk)
    fields = _query(desk)
    errors = FormErrors()
    year = financial_year_from(fields, "financial-year", errors)
    month = month_from(fields, "month", errors)
    found, refusal = None, None
    if not errors:
        try:
            found = await desk.services.management_information.kpis(financial_year=year, month=month)
        except Refused as refused:
            refusal = refused.reason
        except ServiceProblem as problem:
            return desk.problem(problem)
    periods = (found or {}).get("periods", [])
    shown_year = year or (periods[0]["financial_year"] if periods else None)
    return desk.render(
        "mi_kpis.html",
        status_code=422 if errors or refusal else 200,
        title="Key performance indicators",
        fields=fields,
        errors=errors or None,
        refusal=refusal,
        periods=periods,
        definitions=(found or {}).get("definitions", {}),
        month=month,
        financial_year=shown_year,
        csv=csv_link("kpis", financial_year=year if not month else None, month=month),
    )


async def _as_of_report(desk: Desk, report: str) -> tuple[dict[str, Any] | None, dict[str, Any]] | Response:
    """The report as of the day asked (billing's today when none), or the form's errors, or billing's refusal."""
    _reader(desk)
    fields = _query(desk)
    errors = FormErrors()
    as_of = date_from(fields, "as-of", "the date to report on", errors, required=False)
    context: dict[str, Any] = {"fields": fields, "errors": errors or None}
    if errors:
        return None, context
    read = (
        desk.services.management_information.aged_debt
        if report == "aged-debt"
        else desk.services.management_information.bad_debt_provision
    )
    try:
        found = await read(as_of.isoformat() if as_of else None)
    except Refused as refused:
        context["refusal"] = refused.reason
        return None, context
    except ServiceProblem as problem:
        return desk.problem(problem)
    context["csv"] = csv_link(report, as_of=found.get("as_of"))
    return found, context


def _status_of(context: dict[str, Any]) -> int:
    return 422 if context.get("errors") or context.get("refusal") else 200


@router.get(f"{BASE}/aged-debt")
async def aged_debt(desk: OnDesk) -> Response:
    """Unpaid debt in age bands by directorate, by service, and by both."""
    read = await _as_of_report(desk, "aged-debt")
    if isinstance(read, Response):
        return read
    found, context = read
    bands = list((found or {}).get("bands", wording.AGE_BANDS))
    rows = aged_rows((found or {}).get("rows", []), bands)
    return desk.render(
        "mi_aged_debt.html",
        status_code=_status_of(context),
        title="Aged debt by directorate and service",
        report=found,
        bands=bands,
        rows=rows,
        by_directorate=summed_by(rows, "directorate", bands),
        by_service=summed_by(rows, "debt_type", bands),
        **context,
    )


@router.get(f"{BASE}/bad-debt-provision")
async def bad_debt_provision(desk: OnDesk) -> Response:
    """The provision per service and age band, with the council's percentages."""
    read = await _as_of_report(desk, "bad-debt-provision")
    if isinstance(read, Response):
        return read
    found, context = read
    return desk.render(
        "mi_bad_debt_provision.html",
        status_code=_status_of(context),
        title="Bad debt provision",
        report=found,
        bands=list(wording.AGE_BANDS),
        **context,
    )


async def _reviews(desk: Desk, month: str | None, status: str | None, offset: int) -> dict[str, Any]:
    return await desk.services.management_information.budget_holder_reviews(
        month, status=status, limit=REVIEWS_PER_PAGE, offset=offset
    )


async def _reviews_page(desk: Desk, status_code: int = 200, **extra: Any) -> Response:
    """The month asked (billing's this month when none), in the status asked, one page of it; each row named
    and linked from what billing's review gives (its references and customers), no debt asked for again. The
    operations team, who list the month but do not read the debts, get the listing button alone."""
    if not may_read_budget_holder_review(desk.officer.roles):
        if Action.LIST_BUDGET_HOLDER_REVIEW not in actions_allowed(desk.officer.roles):
            _review_reader(desk)
        return desk.render(
            "mi_reviews.html", status_code=status_code, title="Budget-holder review", lists_only=True, **extra
        )
    fields = _query(desk)
    errors = FormErrors()
    month = month_from(fields, "month", errors)
    status = fields.get("status") or None
    if status is not None:
        choice_from(fields, "status", wording.REVIEW_STATUSES, "Select a status from the list", errors)
    asked = page_asked(fields.get("page"))
    found: dict[str, Any] = {}
    if errors:
        extra["errors"] = errors
    else:
        try:
            found = await _reviews(desk, month, status, asked.offset)
            pages = pages_of(int(found.get("total", 0)), asked.number)
            if pages.number != asked.number:  # past the end: the last page
                found = await _reviews(desk, month, status, pages.offset)
        except Refused as refused:
            extra.setdefault("refusal", refused.reason)
        except ServiceProblem as problem:
            return desk.problem(problem)
    shown_month = month or str(found.get("as_of") or "")[:7]
    page = pages_of(int(found.get("total", 0)), asked.number)
    listed = list(found.get("reviews", []))

    def page_link(n: int | None = None, of_status: str | None = status) -> str:
        """This month's review in a status (this page's unless named), page `n` (the first unless named)."""
        wanted = {"month": shown_month, "status": of_status, "page": str(n) if n else None}
        return f"{REVIEWS}?{urlencode({k: v for k, v in wanted.items() if v})}"

    return desk.render(
        "mi_reviews.html",
        status_code=422 if extra.get("errors") or extra.get("refusal") else status_code,
        title="Budget-holder review",
        fields=fields,
        month=shown_month,
        status=status,
        by_status=found.get("by_status", {}),
        as_of=found.get("as_of"),
        page=page,
        reviews=listed,
        page_link=page_link,
        csv=csv_link("budget-holder-reviews", month=shown_month),
        **extra,
    )


@router.get(REVIEWS)
async def budget_holder_reviews(desk: OnDesk, done: str | None = None) -> Response:
    """The month's listing a page at a time: each debt, its budget holder, the deadline, its status (overdue
    marked) and the decision, and for a senior officer the way to record it."""
    return await _reviews_page(desk, done=done)


@router.post(REVIEWS)
async def list_this_month(desk: OnDesk) -> Response:
    """List this business month's debts over 90 and 120 days past due to their budget holders (a debt already
    listed keeps its entry and deadline)."""
    desk.require(Action.LIST_BUDGET_HOLDER_REVIEW)

    async def call() -> dict[str, Any]:
        return await desk.services.management_information.list_for_review()

    async def page(**extra: Any) -> Response:
        return await _reviews_page(desk, 422, refusal_title="Billing did not list the review", **extra)

    def done(listed: dict[str, Any]) -> str:
        return (
            f"The review of {listed['review_month']} is listed: {listed['newly_listed']} debt(s) newly listed, "
            f"{listed['debts_over_threshold']} past the threshold in all"
        )

    return await desk.submit(page, FormErrors(), call, REVIEWS, done)


async def _decision_page(
    desk: Desk, month: str, debt_id: UUID, status_code: int = 200, **extra: Any
) -> Response:
    _review_reader(desk)
    try:
        found = await desk.services.management_information.budget_holder_reviews(month, debt_id=debt_id)
        entry = next((r for r in found.get("reviews", []) if r["debt_id"] == str(debt_id)), None)
        if entry is None:
            raise NotFound("billing", f"debt {debt_id} is not on the budget-holder review of {month}")
    except ServiceProblem as problem:
        return desk.problem(problem)
    extra.setdefault("fields", {})
    return desk.render(
        "mi_review_decision.html",
        status_code=status_code,
        title="Record the budget holder's decision",
        month=month,
        entry=entry,
        decisions=wording.BUDGET_HOLDER_DECISIONS,
        **extra,
    )


@router.get(REVIEWS + "/{month}/{debt_id}/decision")
async def review_decision(month: str, debt_id: UUID, desk: OnDesk) -> Response:
    """The listed debt, its deadline and status, and (undecided, for a senior officer) the decision form."""
    return await _decision_page(desk, _listed_month(month), debt_id)


@router.post(REVIEWS + "/{month}/{debt_id}/decision")
async def record_review_decision(month: str, debt_id: UUID, desk: OnDesk) -> Response:
    """Record the decision with billing, which records the officer from the token; its refusal (already
    decided) is shown on the form with its reason."""
    desk.require(Action.DECIDE_BUDGET_HOLDER_REVIEW)
    month = _listed_month(month)
    fields = await desk.fields()
    errors = FormErrors()
    decision = choice_from(
        fields, "decision", wording.BUDGET_HOLDER_DECISIONS, "Select what happens to this debt", errors
    )
    note = fields.get("note", "").strip()
    if len(note) > 2000:
        errors.add("note", "The note must be 2000 characters or fewer")

    async def call() -> dict[str, Any]:
        return await desk.services.management_information.record_decision(
            month, debt_id, decision, note or None
        )

    async def page(**extra: Any) -> Response:
        return await _decision_page(desk, month, debt_id, 422, fields=fields, **extra)

    done = f"Decision recorded: {wording.named(wording.BUDGET_HOLDER_DECISIONS, decision)}"
    return await desk.submit(page, errors, call, f"{REVIEWS}?{urlencode({'month': month})}", done)


@router.get(BASE + "/{report}.csv")
async def csv_export(report: str, desk: OnDesk) -> Response:
    """The report as billing exports it in CSV, for the period asked, passed through unchanged (a budget
    holder's review: billing exports their own directorate's)."""
    if report == "budget-holder-reviews":
        _review_reader(desk)
    else:
        _reader(desk)
    if report not in CSV_PARAMETERS:
        return desk.problem(NotFound("workbench", f"no management information report {report}"))
    asked = {name: desk.request.query_params.get(name) for name in CSV_PARAMETERS[report]}
    try:
        download = await desk.services.management_information.csv(report, **asked)
    except ServiceProblem as problem:
        return desk.problem(problem)
    headers = {"Content-Disposition": download.disposition} if download.disposition else {}
    name = f"{report}-{date.today().isoformat()}.csv"
    headers.setdefault("Content-Disposition", f'attachment; filename="{name}"')
    return Response(download.body, media_type=download.content_type, headers=headers)
