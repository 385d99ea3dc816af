"""The HTTP face of the service: the Insolvency Service pushes notifications (signed, see NOTIFICATIONS.md
"Authentication"), breathing space officers confirm or reject possible matches and request reviews (reg 17), and
they and auditors read the status page.

Every route but the signed intake (and liveness) needs a token from the council's identity provider
(`shared.auth`): changes the role `breathing_space_officer`, reads that role or `auditor`. Who acted is the
principal, never a field of the body.

TLS terminates at the ingress, or in uvicorn itself (`--ssl-keyfile/--ssl-certfile` when run directly): the
service never accepts notifications over a network it does not trust without it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.breathing_space import status
from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.domain.creditor_rights import ReviewGround
from services.breathing_space.domain.request_authentication import NONCE_HEADER, check_request
from services.breathing_space.intake import ACCEPTED, DUPLICATE, receive_notification, refuse_as_received
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from services.breathing_space.review_requests import ReviewRequestRefused, request_a_review
from services.breathing_space.stores import BreathingSpaceStores
from shared.auth import Principal, Role, public, requires

router = APIRouter()


def the_service(request: Request) -> BreathingSpace:
    """The running service the app was built for (set by `bootstrap`)."""
    service: BreathingSpace = request.app.state.service
    return service


Service = Annotated[BreathingSpace, Depends(the_service)]
Officer = Annotated[Principal, Depends(requires(Role.BREATHING_SPACE_OFFICER))]
Reader = Annotated[Principal, Depends(requires(Role.BREATHING_SPACE_OFFICER, Role.AUDITOR))]
SIGNED_BY_THE_INSOLVENCY_SERVICE = public(
    "every document is signed by the Insolvency Service (HMAC-SHA256 headers, NOTIFICATIONS.md) and verified"
)

_LARGEST_DOCUMENT = 1_000_000  # as `parse_notification` reads
_KEPT = 65_536


@router.post(
    "/notifications",
    dependencies=[Depends(SIGNED_BY_THE_INSOLVENCY_SERVICE)],
    responses={
        202: {"description": "Accepted: the moratorium was brought up to date"},
        200: {"description": "Duplicate (same reference and version): nothing changed"},
        401: {"description": "Not authenticated: signature, headers or timestamp refused (kept for audit)"},
        409: {"description": "Replayed request (nonce already seen)"},
        413: {"description": "Larger than any notification (its beginning is kept for audit)"},
        422: {"description": "Malformed notification, refused with the reason (kept for audit)"},
    },
)
async def receive_pushed_notification(request: Request, service: Service) -> JSONResponse:
    """Take in one signed notification document (the body, verbatim)."""
    body = await request.body()
    nonce = request.headers.get(NONCE_HEADER)
    if len(body) > _LARGEST_DOCUMENT:
        reason = (
            f"body of {len(body)} bytes is larger than {_LARGEST_DOCUMENT}; the first {_KEPT} bytes are kept"
        )
        receipt = await refuse_as_received(
            service, body[:_KEPT], route="https", source=(nonce or "")[:200], reason=reason
        )
        return JSONResponse(receipt.as_dict(), status_code=413)
    # A nonce already seen is refused when it is recorded (`intake.store_as_received`, in the same transaction
    # as the document, so two copies racing each other cannot both pass); nothing to look up beforehand.
    check = check_request(
        dict(request.headers),
        body,
        service.settings.signing_secret.get_secret_value().encode(),
        service.clock.now(),
        frozenset(),
        service.rules.signature_tolerance,
    )
    if not check.accepted:
        receipt = await refuse_as_received(
            service, body, route="https", source=(nonce or "")[:200], reason=check.refusal or ""
        )
        return JSONResponse(receipt.as_dict(), status_code=401)
    receipt = await receive_notification(service, body, route="https", source=check.nonce, nonce=check.nonce)
    if receipt.outcome == ACCEPTED:
        code = 202
    elif receipt.outcome == DUPLICATE:
        code = 200
    elif receipt.reason and "replayed" in receipt.reason:
        code = 409
    else:
        code = 422
    return JSONResponse(receipt.as_dict(), status_code=code)


@router.get("/status")
async def status_page(service: Service, reader: Reader) -> dict[str, Any]:
    """Open moratoria and end dates, pending matches, unconfirmed holds, debts reported back, refusals."""
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        return await status.status_view(handling, service.clock.today(), datetime.now(UTC))


@router.get("/moratoria/{moratorium_reference}")
async def one_moratorium(moratorium_reference: str, service: Service, reader: Reader) -> dict[str, Any]:
    """One moratorium: its period, match, held debts, notifications, and each hold version's confirmations."""
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        stores = handling.stores
        found = await stores.moratoria.detail(moratorium_reference)
        if found is None:
            raise HTTPException(404, f"no moratorium {moratorium_reference!r} has been notified")
        return {
            "moratorium_reference": moratorium_reference,
            **asdict(found),
            "held_debts": [asdict(d) for d in await stores.holds.held_debts(moratorium_reference)],
            "notifications": [asdict(n) for n in await stores.notifications.listed_for(moratorium_reference)],
            "hold_versions": [asdict(v) for v in await stores.holds.hold_versions(moratorium_reference)],
        }


class MatchConfirmation(BaseModel):
    """An officer confirms which of the candidates is the person in breathing space."""

    model_config = ConfigDict(extra="forbid")

    customer_ids: list[UUID] = Field(min_length=1, description="Chosen among the pending match's candidates")


class MatchRejection(BaseModel):
    """An officer rejects every candidate: the debtor is not a customer (the notified debts stay held)."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=1000)]


async def _decide(
    service: BreathingSpace,
    moratorium_reference: str,
    decision: str,
    officer: str,
    reason: str | None,
    chosen: list[UUID],
) -> dict[str, Any]:
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        stores = handling.stores
        pending = await stores.matches.for_decision(moratorium_reference)
        if pending is None:
            raise HTTPException(404, f"no possible match is queued for {moratorium_reference!r}")
        if pending.decision is not None:
            raise HTTPException(409, f"this match was already {pending.decision}")
        offered = {UUID(c["customer_id"]) for c in pending.candidates}
        strangers = [str(c) for c in chosen if c not in offered]
        if strangers:
            raise HTTPException(422, f"not among the candidates: {', '.join(strangers)}")
        await stores.matches.decide(moratorium_reference, decision, officer, reason)
        await stores.moratoria.record_match_decision(
            moratorium_reference,
            decision,
            chosen,
            f"{decision} by an officer" + (f": {reason}" if reason else ""),
        )
        await bring_moratorium_up_to_date(handling, moratorium_reference, service.clock.today())
    return {"moratorium_reference": moratorium_reference, "decision": decision}


@router.post("/pending-matches/{moratorium_reference}/confirm")
async def confirm_match(
    moratorium_reference: str, confirmation: MatchConfirmation, service: Service, officer: Officer
) -> dict[str, Any]:
    """The officer's choice is applied at once: every debt those customers owe is searched for and held."""
    return await _decide(
        service, moratorium_reference, "confirmed", officer.recorded_as, None, confirmation.customer_ids
    )


@router.post("/pending-matches/{moratorium_reference}/reject")
async def reject_match(
    moratorium_reference: str, rejection: MatchRejection, service: Service, officer: Officer
) -> dict[str, Any]:
    """No candidate is the debtor: only the notified debts (by their reference) stay held."""
    return await _decide(service, moratorium_reference, "rejected", officer.recorded_as, rejection.reason, [])


class ReviewAsked(BaseModel):
    """An officer asks the debt adviser to review the moratorium (Debt Respite Scheme regulations 2020, reg 17)."""

    model_config = ConfigDict(extra="forbid")

    grounds: list[ReviewGround] = Field(min_length=1, description="Grounds of regulation 17(1) and (2)")
    evidence_references: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, description="The council's references of the evidence it holds for the grounds"
    )
    explanation: Annotated[str, Field(max_length=4000)] | None = None
    debt_ids: list[UUID] = Field(
        default_factory=list, description="The held debts the review is asked for (none named: every one)"
    )


@router.post(
    "/moratoria/{moratorium_reference}/review-requests",
    status_code=201,
    responses={
        404: {"description": "No such breathing space has started"},
        409: {"description": "No debt is held yet"},
        422: {"description": "No ground or evidence, a debt not held, or the 20 days have passed"},
    },
)
async def request_review(
    moratorium_reference: str, asked: ReviewAsked, service: Service, officer: Officer
) -> dict[str, Any]:
    """Send the council's review request in the outbound format (NOTIFICATIONS.md, `creditor_review_requested`)
    and track it against its 20-day limit (shown on the status page with the 50-day court limit)."""
    try:
        async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
            request = await request_a_review(
                handling,
                moratorium_reference,
                grounds=asked.grounds,
                evidence_references=asked.evidence_references,
                explanation=asked.explanation,
                debt_ids=asked.debt_ids,
                requested_by=officer.recorded_as,
                today=service.clock.today(),
            )
    except ReviewRequestRefused as refused:
        raise HTTPException(refused.status, refused.reason) from None
    answer = asdict(request)
    answer.pop("document")
    return answer


@router.get("/health", dependencies=[Depends(public("liveness: no council data"))])
async def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


def breathing_space_app(service: BreathingSpace) -> FastAPI:
    """The service's HTTP app: every route above, given `service`."""
    app = FastAPI(
        title="Breathing space",
        description="Insolvency Service notifications in; the central debt team's status page and match decisions.",
    )
    app.state.service = service
    app.include_router(router)
    from services.breathing_space import http_customer_moratoria  # it takes `Service` from this module

    app.include_router(http_customer_moratoria.router)
    return app
