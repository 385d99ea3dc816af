"""The HTTP face of the service: the Insolvency Service pushes notifications (signed, see NOTIFICATIONS.md
"Authentication"), officers confirm or reject possible matches, and anyone with access reads the status page.

TLS terminates at the ingress, or in uvicorn itself (`--ssl-keyfile/--ssl-certfile` when run directly): the
service never accepts notifications over a network it does not trust without it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text

from services.breathing_space import status
from services.breathing_space.domain.request_authentication import NONCE_HEADER, check_request
from services.breathing_space.intake import ACCEPTED, DUPLICATE, receive_notification, refuse_as_received
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from services.breathing_space.service import configuration, rules, runtime
from shared.clock import clock

app = FastAPI(
    title="Breathing space",
    description="Insolvency Service notifications in; the central debt team's status page and match decisions.",
)
runtime.http_app = app


_LARGEST_DOCUMENT = 1_000_000  # as `parse_notification` reads
_KEPT = 65_536


@app.post(
    "/notifications",
    responses={
        202: {"description": "Accepted: the moratorium was brought up to date"},
        200: {"description": "Duplicate (same reference and version): nothing changed"},
        401: {"description": "Not authenticated: signature, headers or timestamp refused (kept for audit)"},
        409: {"description": "Replayed request (nonce already seen)"},
        413: {"description": "Larger than any notification (its beginning is kept for audit)"},
        422: {"description": "Malformed notification, refused with the reason (kept for audit)"},
    },
)
async def receive_pushed_notification(request: Request) -> JSONResponse:
    """Take in one signed notification document (the body, verbatim)."""
    body = await request.body()
    nonce = request.headers.get(NONCE_HEADER)
    if len(body) > _LARGEST_DOCUMENT:
        reason = (
            f"body of {len(body)} bytes is larger than {_LARGEST_DOCUMENT}; the first {_KEPT} bytes are kept"
        )
        receipt = await refuse_as_received(
            body[:_KEPT], route="https", source=(nonce or "")[:200], reason=reason
        )
        return JSONResponse(receipt.as_dict(), status_code=413)
    # A nonce already seen is refused when it is recorded (`intake.store_as_received`, in the same transaction
    # as the document, so two copies racing each other cannot both pass); nothing to look up beforehand.
    check = check_request(
        dict(request.headers),
        body,
        configuration.signing_secret.get_secret_value().encode(),
        clock.now(),
        frozenset(),
        rules.signature_tolerance,
    )
    if not check.accepted:
        receipt = await refuse_as_received(
            body, route="https", source=(nonce or "")[:200], reason=check.refusal or ""
        )
        return JSONResponse(receipt.as_dict(), status_code=401)
    receipt = await receive_notification(body, route="https", source=check.nonce, nonce=check.nonce)
    if receipt.outcome == ACCEPTED:
        code = 202
    elif receipt.outcome == DUPLICATE:
        code = 200
    elif receipt.reason and "replayed" in receipt.reason:
        code = 409
    else:
        code = 422
    return JSONResponse(receipt.as_dict(), status_code=code)


@app.get("/status")
async def status_page() -> dict[str, Any]:
    """Open moratoria and end dates, pending matches, unconfirmed holds, debts reported back, refusals."""
    async with runtime.database.transaction() as session:
        return await status.status_view(session, clock.today(), datetime.now(UTC))


@app.get("/moratoria/{moratorium_reference}")
async def one_moratorium(moratorium_reference: str) -> dict[str, Any]:
    """One moratorium: its period, match, held debts, notifications, and each hold version's confirmations."""
    async with runtime.database.transaction() as session:
        found = (
            await session.execute(
                text(
                    "SELECT kind, start_date, end_date, status, match_state, match_explanation, customer_ids, "
                    "hold_version, hold_started, hold_ended, notes FROM moratorium "
                    "WHERE moratorium_reference = :r"
                ),
                {"r": moratorium_reference},
            )
        ).first()
        if found is None:
            raise HTTPException(404, f"no moratorium {moratorium_reference!r} has been notified")
        held = await session.execute(
            text(
                "SELECT debt_id, creditor_reference, debt_type, source, hold_version, reported_back_in "
                "FROM held_debt WHERE moratorium_reference = :r ORDER BY hold_version, creditor_reference"
            ),
            {"r": moratorium_reference},
        )
        notifications = await session.execute(
            text(
                "SELECT notification_reference, version, kind, direction, issued_at FROM notification "
                "WHERE moratorium_reference = :r ORDER BY issued_at"
            ),
            {"r": moratorium_reference},
        )
        broadcasts = await session.execute(
            text(
                "SELECT b.hold_version, b.change, b.broadcast_at, "
                "coalesce(array_agg(c.service ORDER BY c.service) FILTER (WHERE c.service IS NOT NULL), '{}') "
                "FROM hold_broadcast b LEFT JOIN hold_confirmation c ON c.moratorium_reference = "
                "b.moratorium_reference AND c.hold_version = b.hold_version WHERE b.moratorium_reference = :r "
                "GROUP BY b.hold_version, b.change, b.broadcast_at ORDER BY b.hold_version"
            ),
            {"r": moratorium_reference},
        )
        keys = ("kind", "start_date", "end_date", "status", "match", "match_explanation", "customer_ids")
        keys += ("hold_version", "hold_started", "hold_ended", "notes")
        return {
            "moratorium_reference": moratorium_reference,
            **dict(zip(keys, found, strict=True)),
            "held_debts": [dict(r._mapping) for r in held],
            "notifications": [dict(r._mapping) for r in notifications],
            "hold_versions": [
                {"hold_version": v, "change": c, "broadcast_at": at, "confirmed_by": list(by)}
                for v, c, at, by in broadcasts
            ],
        }


class MatchConfirmation(BaseModel):
    """An officer confirms which of the candidates is the person in breathing space."""

    model_config = ConfigDict(extra="forbid")

    customer_ids: list[UUID] = Field(min_length=1, description="Chosen among the pending match's candidates")
    officer: Annotated[str, Field(min_length=1, max_length=200)]


class MatchRejection(BaseModel):
    """An officer rejects every candidate: the debtor is not a customer (the notified debts stay held)."""

    model_config = ConfigDict(extra="forbid")

    officer: Annotated[str, Field(min_length=1, max_length=200)]
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


async def _decide(
    moratorium_reference: str, decision: str, officer: str, reason: str | None, chosen: list[UUID]
) -> dict[str, Any]:
    async with runtime.database.transaction() as session:
        pending = (
            await session.execute(
                text(
                    "SELECT candidates, decision FROM pending_match WHERE moratorium_reference = :r FOR UPDATE"
                ),
                {"r": moratorium_reference},
            )
        ).first()
        if pending is None:
            raise HTTPException(404, f"no possible match is queued for {moratorium_reference!r}")
        candidates, decided = pending
        if decided is not None:
            raise HTTPException(409, f"this match was already {decided}")
        offered = {UUID(c["customer_id"]) for c in candidates}
        strangers = [str(c) for c in chosen if c not in offered]
        if strangers:
            raise HTTPException(422, f"not among the candidates: {', '.join(strangers)}")
        await session.execute(
            text(
                "UPDATE pending_match SET decision = :d, decided_by = :o, decided_at = now(), decision_reason = :why "
                "WHERE moratorium_reference = :r"
            ),
            {"d": decision, "o": officer, "why": reason, "r": moratorium_reference},
        )
        await session.execute(
            text(
                "UPDATE moratorium SET match_state = :d, customer_ids = CAST(:c AS uuid[]), "
                "match_explanation = :why WHERE moratorium_reference = :r"
            ),
            {
                "d": decision,
                "c": [str(c) for c in chosen],
                "why": f"{decision} by an officer" + (f": {reason}" if reason else ""),
                "r": moratorium_reference,
            },
        )
        await bring_moratorium_up_to_date(session, moratorium_reference, clock.today())
    return {"moratorium_reference": moratorium_reference, "decision": decision}


@app.post("/pending-matches/{moratorium_reference}/confirm")
async def confirm_match(moratorium_reference: str, confirmation: MatchConfirmation) -> dict[str, Any]:
    """The officer's choice is applied at once: every debt those customers owe is searched for and held."""
    return await _decide(
        moratorium_reference, "confirmed", confirmation.officer, None, confirmation.customer_ids
    )


@app.post("/pending-matches/{moratorium_reference}/reject")
async def reject_match(moratorium_reference: str, rejection: MatchRejection) -> dict[str, Any]:
    """No candidate is the debtor: only the notified debts (by their reference) stay held."""
    return await _decide(moratorium_reference, "rejected", rejection.officer, rejection.reason, [])


@app.get("/health")
async def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}
