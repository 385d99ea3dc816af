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

from collections.abc import Mapping
from dataclasses import dataclass

import structlog

from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.domain.notifications import (
    NotificationKind,
    parse_notification,
    render_notification,
)
from services.breathing_space.domain.request_authentication import check_forwarded_document
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from services.breathing_space.stores import BreathingSpaceStores

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
    service: BreathingSpace, body: bytes, *, route: str, source: str | None, nonce: str | None = None
) -> tuple[int, bool]:
    """Step 1: keep the document as it arrived; returns its id and whether it may be taken in. With a nonce
    (HTTPS), the nonce is recorded in the same transaction, and a nonce already recorded (a replay that raced
    the first request past the signature check) is refused and kept for audit."""
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        documents = handling.stores.documents
        document_id = await documents.keep(body, route, source)
        if nonce is not None and not await documents.first_use_of_nonce(nonce):
            await documents.settle(document_id, REFUSED, _REPLAY)
            return document_id, False
        return document_id, True


@dataclass(frozen=True)
class DeadLetter:
    """Where a refused queued document is dead-lettered: its queue, and who the broker says published it."""

    queue: str
    message_id: str | None
    published_by: str | None


async def refuse_as_received(
    service: BreathingSpace,
    body: bytes,
    *,
    route: str,
    source: str | None,
    reason: str,
    dead_letter: DeadLetter | None = None,
) -> Receipt:
    """Keep a document refused before it could be read (e.g. unauthenticated), with the reason, for audit; with
    `dead_letter`, also in the dead-letter tray, in the same transaction."""
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        document_id = await handling.stores.documents.keep(body, route, source)
        await handling.stores.documents.settle(document_id, REFUSED, reason)
        if dead_letter is not None:
            await handling.stores.documents.record_dead_letter(
                dead_letter.queue, reason, body, dead_letter.message_id, dead_letter.published_by
            )
    log.warning("notification refused", route=route, reason=reason, received_document_id=document_id)
    return Receipt(document_id, REFUSED, reason)


async def take_in(service: BreathingSpace, document_id: int, body: bytes, *, route: str) -> Receipt:
    """Steps 2 and 3 for a document already stored verbatim."""
    parsed = parse_notification(body)
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        stores = handling.stores
        notification = parsed.notification
        if notification is None or notification.kind is NotificationKind.DEBTS_REPORTED_BACK:
            reason = parsed.refusal or "debts_reported_back is the council's outbound message, never received"
            await stores.documents.settle(document_id, REFUSED, reason)
            log.warning("notification refused", route=route, reason=reason, received_document_id=document_id)
            return Receipt(document_id, REFUSED, reason)
        reference, version = notification.notification_reference, notification.version
        moratorium = notification.moratorium_reference
        await stores.moratoria.lock(moratorium)
        fresh = await stores.notifications.keep(
            notification,
            render_notification(notification),
            direction="inbound",
            received_document_id=document_id,
        )
        outcome = ACCEPTED if fresh else DUPLICATE
        await stores.documents.settle(document_id, outcome, None, reference, version, moratorium)
        if fresh:
            await bring_moratorium_up_to_date(handling, moratorium, service.clock.today())
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
    service: BreathingSpace, body: bytes, *, route: str, source: str | None = None, nonce: str | None = None
) -> Receipt:
    """Store a document verbatim, then take it in. The one entry point of every route."""
    document_id, may_take_in = await store_as_received(service, body, route=route, source=source, nonce=nonce)
    if not may_take_in:
        log.warning("notification refused", route=route, reason=_REPLAY, received_document_id=document_id)
        return Receipt(document_id, REFUSED, _REPLAY)
    return await take_in(service, document_id, body, route=route)


NOT_AUTHENTICATED = "not authenticated: "


async def receive_forwarded_notification(
    service: BreathingSpace,
    body: bytes,
    signature: Mapping[str, str],
    *,
    route: str,
    source: str | None,
    dead_letter: DeadLetter | None = None,
) -> Receipt:
    """A document that came by the queue or the folder: verified by its signature (NOTIFICATIONS.md,
    "Authentication") before it is read, so an unsigned or altered one is kept, refused with the reason and
    changes nothing; a genuine one is taken in like any other."""
    check = check_forwarded_document(
        signature,
        body,
        service.settings.signing_secret.get_secret_value().encode(),
        service.clock.now(),
        service.rules.signature_tolerance,
    )
    if not check.accepted:
        reason = f"{NOT_AUTHENTICATED}{check.refusal}"
        return await refuse_as_received(
            service, body, route=route, source=source, reason=reason, dead_letter=dead_letter
        )
    return await receive_notification(service, body, route=route, source=source)


async def take_in_unprocessed(service: BreathingSpace, older_than_seconds: int = 30) -> int:
    """Take in again every document stored but never settled (its first attempt failed); returns how many."""
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        unsettled = await handling.stores.documents.unsettled(older_than_seconds)
    for document in unsettled:
        await take_in(service, document.document_id, document.body, route=document.route)
    return len(unsettled)
