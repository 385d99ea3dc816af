"""Who is asking: the person the council's identity provider signed in, from the bearer token (JSON API) or the
browser session cookie of `shared.auth.browser_sign_in` (approvals pages).

Every route sits behind `requires(...)`: reads need a write-off role or `auditor` (or a revenues or senior
officer, whose workbench shows the schedules tray); changes need a write-off role (or a revenues or senior
officer, who may ask for a write-off). Each action then checks the particular role it needs (403 with the
reason) and the domain checks bands, segregation of duties and declarations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from services.writeoff.approvers import PLATFORM_REQUESTERS, Person, acting_roles, sorted_roles
from services.writeoff.dependencies import WriteOff
from shared.auth import Principal, Role, authenticated_principal, requires


def write_off_service(request: Request) -> WriteOff:
    """FastAPI dependency: the write-off service this app was built for (set by `bootstrap`)."""
    service: WriteOff = request.app.state.service
    return service


Service = Annotated[WriteOff, Depends(write_off_service)]


async def signed_in_person(
    principal: Annotated[Principal, Depends(authenticated_principal)], service: Service
) -> Person:
    """FastAPI dependency: the signed-in person (the route's `requires(...)` has already verified them)."""
    return Person.of(principal, service.settings.council)


SignedIn = Annotated[Person, Depends(signed_in_person)]


def who_may_read(service: WriteOff) -> Callable[[Request], Awaitable[Principal]]:
    """`requires(...)` for the service's reads: every write-off role, auditors, revenues and senior officers."""
    return requires(*sorted_roles(acting_roles(service.policies), PLATFORM_REQUESTERS, [Role.AUDITOR]))


def who_may_act(service: WriteOff) -> Callable[[Request], Awaitable[Principal]]:
    """`requires(...)` for the service's changes: every write-off role, revenues and senior officers."""
    return requires(*sorted_roles(acting_roles(service.policies), PLATFORM_REQUESTERS))


def require_role(person: Person, role: str, action: str) -> None:
    """403 unless the person holds `role`."""
    if not person.holds(role):
        raise HTTPException(
            403, detail={"reason": f"{person.recorded_as} does not hold the role {role} needed to {action}"}
        )


def require_any_role(person: Person, roles: tuple[str, ...], action: str) -> None:
    """403 unless the person holds one of `roles`."""
    if not any(person.holds(role) for role in roles):
        raise HTTPException(
            403,
            detail={
                "reason": f"{person.recorded_as} holds none of the roles needed to {action}: {', '.join(roles)}"
            },
        )
