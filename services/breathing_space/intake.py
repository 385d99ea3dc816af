"""Taking in a notification document, whichever way it came (HTTPS, watched folder, queue): the one function
every route calls.

1. The document is stored verbatim, with its route and source, in its own committed transaction, before
   anything else happens: whatever follows, the council has what it was sent.
2. It is read (`domain/notifications.parse_notification`): a malformed one is refused with the reason, kept.
3. An accepted one is kept once per notification reference and version: the same again is a duplicate and
   changes nothing. A new one brings its moratorium up to date (`moratoria.py`), in the same transaction.

A document whose step 3 failed (the database went away) is left without an outcome and taken in again later
by `take_in_unprocessed`, so nothing received is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.notifications import (
    NotificationKind,
    parse_notification,
    render_notification,
)
from services.breathing_space.moratoria import (
    bring_moratorium_up_to_date,
    lock_moratorium,
    store_notification,
)
from services.breathing_space.service import runtime
from shared.clock import clock

log = structlog.get_logger("breathing_space.intake")

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
REFUSED = "refused"


@dataclass(frozen=True)
class Receipt:
    """What became of one document: accepted, duplicate (nothing changed) or refused (with the reason)."""

    received_document_id: int
    outcome: str
    reason: str | None = None
    notification_reference: str | None = None
    version: int | None = None
    moratorium_reference: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The receipt as the HTTPS endpoint answers it."""
        return {
            "received_document_id": self.received_document_id,
            "outcome": self.outcome,
            "reason": self.reason,
            "notification_reference": self.notification_reference,
            "version": self.version,
            "moratorium_reference": self.moratorium_reference,
        }


_REPLAY = "replayed request (nonce already seen)"


async def store_as_received(
    body: bytes, *, route: str, source: str | None, nonce: str | None = None
) -> tuple[int, bool]:
    """Step 1: keep the document as it arrived; returns its id and whether it may be taken in. With a nonce
    (HTTPS), the nonce is recorded in the same transaction, and a nonce already recorded (a replay that raced
    the first request past the signature check) is refused and kept for audit."""
    async with runtime.database.transaction() as session:
        document_id = await _insert_document(session, body, route, source)
        if nonce is not None:
            fresh = await session.execute(
                text("INSERT INTO seen_nonce (nonce) VALUES (:nonce) ON CONFLICT DO NOTHING RETURNING 1"),
                {"nonce": nonce},
            )
            if fresh.first() is None:
                await _settle(session, document_id, REFUSED, _REPLAY)
                return document_id, False
        return document_id, True


async def _insert_document(session: AsyncSession, body: bytes, route: str, source: str | None) -> int:
    result = await session.execute(
        text(
            "INSERT INTO received_document (route, source, body) VALUES (:route, :source, :body) RETURNING id"
        ),
        {"route": route, "source": source, "body": body},
    )
    return int(result.scalar_one())


async def _settle(
    session: AsyncSession,
    document_id: int,
    outcome: str,
    reason: str | None,
    reference: str | None = None,
    version: int | None = None,
    moratorium: str | None = None,
) -> None:
    await session.execute(
        text(
            "UPDATE received_document SET outcome = :outcome, reason = :reason, notification_reference = :ref, "
            "notification_version = :version, moratorium_reference = :moratorium, processed_at = now() "
            "WHERE id = :id"
        ),
        {
            "id": document_id,
            "outcome": outcome,
            "reason": reason,
            "ref": reference,
            "version": version,
            "moratorium": moratorium,
        },
    )


async def refuse_as_received(body: bytes, *, route: str, source: str | None, reason: str) -> Receipt:
    """Keep a document refused before it could be read (e.g. unauthenticated), with the reason, for audit."""
    async with runtime.database.transaction() as session:
        document_id = await _insert_document(session, body, route, source)
        await _settle(session, document_id, REFUSED, reason)
    log.warning("notification refused", route=route, reason=reason, received_document_id=document_id)
    return Receipt(document_id, REFUSED, reason)


async def take_in(document_id: int, body: bytes, *, route: str) -> Receipt:
    """Steps 2 and 3 for a document already stored verbatim."""
    parsed = parse_notification(body)
    async with runtime.database.transaction() as session:
        notification = parsed.notification
        if notification is None or notification.kind is NotificationKind.DEBTS_REPORTED_BACK:
            reason = parsed.refusal or "debts_reported_back is the council's outbound message, never received"
            await _settle(session, document_id, REFUSED, reason)
            log.warning("notification refused", route=route, reason=reason, received_document_id=document_id)
            return Receipt(document_id, REFUSED, reason)
        reference, version = notification.notification_reference, notification.version
        moratorium = notification.moratorium_reference
        await lock_moratorium(session, moratorium)
        fresh = await store_notification(
            session,
            notification,
            render_notification(notification),
            direction="inbound",
            received_document_id=document_id,
        )
        outcome = ACCEPTED if fresh else DUPLICATE
        await _settle(session, document_id, outcome, None, reference, version, moratorium)
        if fresh:
            await bring_moratorium_up_to_date(session, moratorium, clock.today())
    log.info(
        "notification taken in",
        route=route,
        outcome=outcome,
        kind=notification.kind.value,
        moratorium_reference=moratorium,
        notification_reference=reference,
        version=version,
    )
    return Receipt(document_id, outcome, None, reference, version, moratorium)


async def receive_notification(
    body: bytes, *, route: str, source: str | None = None, nonce: str | None = None
) -> Receipt:
    """Store a document verbatim, then take it in. The one entry point of every route."""
    document_id, may_take_in = await store_as_received(body, route=route, source=source, nonce=nonce)
    if not may_take_in:
        log.warning("notification refused", route=route, reason=_REPLAY, received_document_id=document_id)
        return Receipt(document_id, REFUSED, _REPLAY)
    return await take_in(document_id, body, route=route)


async def take_in_unprocessed(older_than_seconds: int = 30) -> int:
    """Take in again every document stored but never settled (its first attempt failed); returns how many."""
    async with runtime.database.transaction() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT id, body, route FROM received_document WHERE outcome IS NULL "
                    "AND received_at < now() - make_interval(secs => :age) ORDER BY id LIMIT 100"
                ),
                {"age": older_than_seconds},
            )
        ).all()
    for document_id, body, route in rows:
        await take_in(document_id, bytes(body), route=route)
    return len(rows)
