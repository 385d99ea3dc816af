"""Finding a resident or an organisation by name, postcode, address, account or reference, or NI number."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from services.workbench.clients import ServiceProblem
from services.workbench.domain.permissions import is_budget_holder_only
from services.workbench.officer import BUDGET_HOLDER_PAGES, Officer
from services.workbench.pages.common import OnDesk

router = APIRouter()


@router.get("/")
async def home(officer: Officer) -> RedirectResponse:
    """The workbench opens on the search; for a budget holder, on their budget-holder review."""
    if is_budget_holder_only(officer.roles):
        return RedirectResponse(BUDGET_HOLDER_PAGES, status_code=303)
    return RedirectResponse("/search", status_code=303)


@router.get("/search")
async def search(desk: OnDesk, query: str = "") -> Response:
    """The search form, and the customers billing finds for the query."""
    query = query.strip()
    results = None
    if query:
        try:
            results = await desk.services.billing.search(query)
        except ServiceProblem as problem:
            return desk.problem(problem)
    return desk.render("search.html", title="Find a customer", query=query, results=results)
