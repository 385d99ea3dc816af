"""The signed-in officer of a request: their verified principal (from the session cookie shared.auth set at
sign-in) and the services called with their own access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from services.workbench.clients import ServiceConnections, Services
from services.workbench.domain.permissions import WORKBENCH_ROLES, Action, actions_allowed
from shared.auth import Principal, requires
from shared.auth.requirements import auth_settings_of, bearer_token
from shared.auth.session_cookie import session_token

SignedInOfficer = requires(*sorted(WORKBENCH_ROLES))
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
