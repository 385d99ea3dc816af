"""The signed-in officer of a request: their verified principal (from the session cookie shared.auth set at
sign-in) and the services called with their own access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials

from services.workbench.clients import ServiceConnections, Services
from services.workbench.domain.permissions import (
    BUDGET_HOLDER,
    WORKBENCH_ROLES,
    Action,
    actions_allowed,
    is_budget_holder_only,
    may_use_workbench,
)
from shared.auth import Principal
from shared.auth.requirements import BEARER, auth_settings_of, authenticated_principal, bearer_token
from shared.auth.session_cookie import session_token

BUDGET_HOLDER_PAGES = "/management-information/budget-holder-reviews"
"""What a budget holder opens (the review, its decisions and its CSV), and the home page that leads there."""


def budget_holder_may_open(path: str) -> bool:
    """A budget holder's pages: the review and what hangs off it, and the home page (sent on to the review)."""
    return path in ("/", BUDGET_HOLDER_PAGES, BUDGET_HOLDER_PAGES + ".csv") or path.startswith(
        BUDGET_HOLDER_PAGES + "/"
    )


async def signed_in_person(
    request: Request, _declared: HTTPAuthorizationCredentials | None = Depends(BEARER)
) -> Principal:
    """Whoever the session's (or bearer) token names, verified, whatever their roles."""
    return await authenticated_principal(request)


async def signed_in_officer(request: Request, principal: Principal = Depends(signed_in_person)) -> Principal:
    """The signed-in person, holding an officer's role or a budget holder's (`budget_holder_<directorate>`);
    a budget holder with no officer's role opens the budget-holder review's pages only (403 elsewhere)."""
    if not may_use_workbench(principal.roles):
        raise HTTPException(
            403,
            detail={
                "reason": f"{principal.recorded_as} holds none of the roles this needs: "
                f"{', '.join(sorted(WORKBENCH_ROLES))} or a budget holder's role ({BUDGET_HOLDER})"
            },
        )
    if is_budget_holder_only(principal.roles) and not budget_holder_may_open(request.url.path):
        raise HTTPException(
            403,
            detail={
                "reason": f"{principal.recorded_as} is a budget holder: the workbench shows budget holders the "
                "budget-holder review of their own directorate only"
            },
        )
    return principal


signed_in_officer.required_roles = (*sorted(WORKBENCH_ROLES), BUDGET_HOLDER)  # type: ignore[attr-defined]
SignedInOfficer = signed_in_officer
Officer = Annotated[Principal, Depends(SignedInOfficer)]


def officer_services(request: Request, officer: Officer) -> Services:
    """The services as this officer calls them: the token they signed in with, forwarded as the bearer token."""
    token = bearer_token(request) or session_token(request, auth_settings_of(request))
    if token is None:  # requires() already verified one; this is only for the type checker
        raise HTTPException(401, "sign in")
    connections: ServiceConnections = request.app.state.connections
    return Services(connections, token)


OfficersServices = Annotated[Services, Depends(officer_services)]


def allowed(officer: Principal) -> frozenset[Action]:
    """What the officer's roles allow, to show only the actions they can take."""
    return actions_allowed(officer.roles)


def require_action(officer: Principal, action: Action) -> None:
    """Refuse a form for an action the officer's roles do not allow (the service would refuse it anyway)."""
    if action not in allowed(officer):
        raise HTTPException(403, f"{officer.recorded_as} may not {action.value}")
