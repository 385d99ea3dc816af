"""Who is asking: the signed-in person behind a request, from a Bearer token (JSON API) or the session cookie
(approvals page). Anything else is refused with the reason: 401 for no or untrusted identity, 403 for a person
without the role an action needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from services.writeoff.approvers import Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.sessions import IdentityRefused
from services.writeoff.signing_in import signed_in_person

SESSION_COOKIE = "writeoff_session"


def write_off_service(request: Request) -> WriteOff:
    """FastAPI dependency: the write-off service this app was built for (set by `bootstrap`)."""
    service: WriteOff = request.app.state.service
    return service


Service = Annotated[WriteOff, Depends(write_off_service)]


def client_address(request: Request) -> str:
    """The address the request came from, as sign-in throttling counts it."""
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def api_person(request: Request, service: Service) -> Person:
    """FastAPI dependency: the signed-in person of a JSON API call (401 with the reason otherwise)."""
    try:
        return await signed_in_person(service, bearer_token(request))
    except IdentityRefused as refused:
        raise HTTPException(
            401, detail={"reason": refused.reason}, headers={"WWW-Authenticate": "Bearer"}
        ) from None


def require_role(person: Person, role: str, action: str) -> None:
    """403 unless the person holds `role`."""
    if role not in person.roles:
        raise HTTPException(
            403, detail={"reason": f"{person.person_id} does not hold the role {role} needed to {action}"}
        )
