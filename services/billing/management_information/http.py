"""Management information over HTTP, JSON by default and CSV with `?format=csv` or `Accept: text/csv`.

Reading is for revenues officers, senior officers, auditors and the council's budget holder roles (a budget
holder reads only their own directorate's review); listing the month's review for senior officers and operations
(or the monthly schedule); a decision for a senior officer or the budget holder role of the debt's directorate,
recorded as the signed-in principal."""

import csv
import io
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from services.billing.domain.financial_year import FinancialYear, financial_year_of
from services.billing.management_information import reports
from services.billing.management_information.periods import parse_month
from services.billing.management_information.reports import CsvRows, DecisionRefused, ManagementInformation
from services.billing.management_information.reviews import (
    BudgetHolderDecision,
    ReviewStatus,
    budget_holder_roles,
    directorates_seen_by,
)
from shared.auth import Principal, Role, requires

CSV = "text/csv"
_CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {"schema": {"type": "string"}}}, "description": "JSON, or CSV when asked for"}
}
Format = Annotated[str | None, Query(pattern="^(json|csv)$", description="csv for a CSV export")]


def management_information(request: Request) -> ManagementInformation:
    """The management information of this app's billing service (set by `wiring.include_in`)."""
    found: ManagementInformation = request.app.state.management_information
    return found


MI = Annotated[ManagementInformation, Depends(management_information)]


def wants_csv(request: Request, format: str | None) -> bool:
    """CSV when `?format=csv`, or when no format is named and the Accept header prefers text/csv."""
    if format is not None:
        return format == "csv"
    accept = request.headers.get("accept", "")
    return CSV in accept and "application/json" not in accept.split(CSV)[0]


def csv_response(rows: CsvRows, filename: str) -> Response:
    """The rows as a CSV attachment (header from the first row)."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return Response(
        out.getvalue(),
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _year(label: str | None, today: date) -> FinancialYear:
    if label is None:
        return financial_year_of(today)
    try:
        return FinancialYear.parse(label)
    except ValueError:
        raise HTTPException(422, "financial_year must look like 2026/27") from None


def _month(text: str) -> date:
    try:
        period = parse_month(text)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return period.ends.replace(day=1)


async def _as_of(
    request: Request, mi: ManagementInformation, name: str, as_of: date | None, format: str | None
) -> Any:
    on = as_of or mi.billing.clock.today()
    body, rows = await reports.report_as_of(mi, name, on)
    return csv_response(rows, f"{name}-{on.isoformat()}.csv") if wants_csv(request, format) else body


class BudgetHolderDecisionMade(BaseModel):
    """The budget holder's decision on a listed debt; who decided is the signed-in principal."""

    decision: BudgetHolderDecision
    note: str | None = Field(default=None, max_length=2000, description="Why, for the record")


def management_information_router(mi_policy_roles: tuple[str, ...] = ()) -> APIRouter:
    """The routes, reads open also to the council's budget holder roles (from its policy)."""
    readers = requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR, *mi_policy_roles)
    lister = requires(Role.SENIOR_OFFICER, Role.OPERATIONS)
    decider = requires(Role.SENIOR_OFFICER, *mi_policy_roles)
    Reader = Annotated[Principal, Depends(readers)]
    router = APIRouter(prefix="/management-information", tags=["management information"])

    @router.get("/kpis", responses=_CSV_RESPONSE)
    async def collection_kpis(
        request: Request,
        mi: MI,
        _: Reader,
        financial_year: Annotated[
            str | None, Query(description="e.g. 2026/27 (default: the current)")
        ] = None,
        month: Annotated[str | None, Query(description="one month, e.g. 2026-05")] = None,
        format: Format = None,
    ) -> Any:
        """In-year council tax and business rates collection rates, HB overpayments not under arrangement and
        sundry debt older than three months: for one month, or each month of a financial year and the year."""
        today = mi.billing.clock.today()
        if month is not None:
            try:
                periods = [parse_month(month)]
            except ValueError as error:
                raise HTTPException(422, str(error)) from None
        else:
            periods = reports.periods_of_year(_year(financial_year, today), today)
        async with mi.transaction() as handling:
            rows = await reports.kpis_of(handling.stores.management_information, periods)
        if wants_csv(request, format):
            return csv_response(reports.kpis_csv(rows), f"kpis-{periods[0].label.replace('/', '-')}.csv")
        return reports.kpis_json(rows)

    @router.get("/aged-debt", responses=_CSV_RESPONSE)
    async def aged_debt_by_directorate(
        request: Request, mi: MI, _: Reader, as_of: date | None = None, format: Format = None
    ) -> Any:
        """Unpaid debt by directorate (configured by cost centre or debt type; "unassigned" where billing has
        none), debt type and age band."""
        return await _as_of(request, mi, "aged-debt", as_of, format)

    @router.get("/bad-debt-provision", responses=_CSV_RESPONSE)
    async def bad_debt_provision(
        request: Request, mi: MI, _: Reader, as_of: date | None = None, format: Format = None
    ) -> Any:
        """The bad debt provision by debt type and age band, with the council's percentages (integer pence,
        rounded half up per debt type and band)."""
        return await _as_of(request, mi, "bad-debt-provision", as_of, format)

    @router.get("/budget-holder-reviews", responses=_CSV_RESPONSE)
    async def budget_holder_reviews(
        request: Request,
        mi: MI,
        reader: Reader,
        month: Annotated[str | None, Query(description="e.g. 2026-05 (default: this month)")] = None,
        format: Format = None,
        status: Annotated[
            ReviewStatus | None, Query(description="only the debts in this status (JSON)")
        ] = None,
        debt_id: Annotated[UUID | None, Query(description="only this debt (JSON)")] = None,
        limit: Annotated[int | None, Query(ge=1, le=1000, description="at most this many (JSON)")] = None,
        offset: Annotated[int, Query(ge=0, description="after skipping this many (JSON)")] = 0,
    ) -> Any:
        """The month's debts over 90 and 120 days, each with its budget holder, the decision deadline (10
        working days), the decision and who made it, and its status (awaiting, overdue, decided, decided late).
        JSON may be narrowed to one status or debt and read a page at a time (`total` counts what matched;
        `by_status` is always the whole month's), each debt with its references and `customer_ids`; the CSV
        export is always the whole month. A budget holder reads only their own directorate's debts (Sundry
        10.1); revenues and senior officers and auditors every directorate's."""
        today = mi.billing.clock.today()
        review_month = _month(month) if month else today.replace(day=1)
        directorates = directorates_seen_by(mi.policy, reader.roles)
        async with mi.transaction() as handling:
            store = handling.stores.management_information
            if wants_csv(request, format):
                entries = await store.reviews_of(review_month, directorates)
            else:
                page = await store.reviews_page(
                    review_month,
                    today,
                    directorates=directorates,
                    status=status,
                    debt_id=debt_id,
                    limit=limit,
                    offset=offset,
                )
        if wants_csv(request, format):
            rows = reports.reviews_json(entries, today)["reviews"]
            return csv_response(rows, f"budget-holder-reviews-{review_month.isoformat()[:7]}.csv")
        return reports.reviews_page_json(page, today, offset)

    @router.post("/budget-holder-reviews")
    async def list_this_month_for_review(mi: MI, _: Annotated[Principal, Depends(lister)]) -> dict[str, Any]:
        """List this month's debts over the thresholds to their budget holders (once a month; a debt already
        listed keeps its entry and deadline)."""
        async with mi.transaction() as handling:
            month, over, listed = await reports.list_month_for_review(
                handling.stores.management_information, mi.policy, mi.billing.clock.today()
            )
        return {"review_month": month.isoformat()[:7], "debts_over_threshold": over, "newly_listed": listed}

    @router.post("/budget-holder-reviews/{month}/{debt_id}/decision")
    async def record_budget_holder_decision(
        month: str,
        debt_id: UUID,
        made: BudgetHolderDecisionMade,
        mi: MI,
        who: Annotated[Principal, Depends(decider)],
    ) -> dict[str, Any]:
        """Record the budget holder's decision on a listed debt, once, as the signed-in principal."""
        today = mi.billing.clock.today()
        try:
            async with mi.transaction() as handling:
                entry = await reports.record_decision(
                    handling.stores.management_information,
                    mi.policy,
                    _month(month),
                    debt_id,
                    made.decision,
                    made.note,
                    who,
                    today,
                )
        except DecisionRefused as refused:
            raise HTTPException(refused.status, detail={"reason": str(refused)}) from None
        return reports.review_json(entry, today)

    return router


def router_for(mi: ManagementInformation) -> APIRouter:
    """The routes for this council (its budget holder roles may read and decide)."""
    return management_information_router(budget_holder_roles(mi.policy))
