"""Documents as received (every route), what became of each, the nonces of signed HTTPS requests, and the
dead letters of the raw notifications queue (the service's work tray)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class UnsettledDocument:
    """A document stored but never settled (its first attempt to take it in failed)."""

    document_id: int
    body: bytes
    route: str


@dataclass(frozen=True)
class RefusedDocument:
    """A document refused (malformed, unauthenticated, replayed), kept for audit."""

    received_document_id: int
    route: str
    source: str | None
    reason: str | None
    received_at: datetime


_INSERT = text(
    "INSERT INTO received_document (route, source, body) VALUES (:route, :source, :body) RETURNING id"
)
_NONCE = text("INSERT INTO seen_nonce (nonce) VALUES (:nonce) ON CONFLICT DO NOTHING RETURNING 1")
_SETTLE = text(
    "UPDATE received_document SET outcome = :outcome, reason = :reason, notification_reference = :ref, "
    "notification_version = :version, moratorium_reference = :moratorium, processed_at = now() "
    "WHERE id = :id"
)
_UNSETTLED = text(
    "SELECT id, body, route FROM received_document WHERE outcome IS NULL "
    "AND received_at < now() - make_interval(secs => :age) ORDER BY id LIMIT :limit"
)
_REFUSED = text(
    "SELECT id, route, source, reason, received_at FROM received_document WHERE outcome = 'refused' "
    "ORDER BY id DESC LIMIT :limit"
)

_DEAD_LETTER = text(
    "INSERT INTO dead_letter (queue, routing_key, event_id, reason, attempts, body, published_by) "
    "VALUES (:queue, :queue, :event_id, :reason, 1, :body, :published_by)"
)


class ReceivedDocumentStore:
    """Every document exactly as it arrived, and its outcome."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, body: bytes, route: str, source: str | None) -> int:
        """Store a document verbatim; returns its id."""
        result = await self.session.execute(_INSERT, {"route": route, "source": source, "body": body})
        return int(result.scalar_one())

    async def first_use_of_nonce(self, nonce: str) -> bool:
        """Record a signed request's nonce; False when it was already recorded (a replay)."""
        return (await self.session.execute(_NONCE, {"nonce": nonce})).first() is not None

    async def settle(
        self,
        document_id: int,
        outcome: str,
        reason: str | None,
        notification_reference: str | None = None,
        version: int | None = None,
        moratorium_reference: str | None = None,
    ) -> None:
        """What became of the document: accepted, duplicate or refused (with the reason)."""
        await self.session.execute(
            _SETTLE,
            {
                "id": document_id,
                "outcome": outcome,
                "reason": reason,
                "ref": notification_reference,
                "version": version,
                "moratorium": moratorium_reference,
            },
        )

    async def unsettled(self, older_than_seconds: int, limit: int = 100) -> list[UnsettledDocument]:
        """Documents stored at least `older_than_seconds` ago and never settled, oldest first."""
        rows = await self.session.execute(_UNSETTLED, {"age": older_than_seconds, "limit": limit})
        return [UnsettledDocument(int(i), bytes(body), route) for i, body, route in rows]

    async def latest_refused(self, limit: int = 50) -> list[RefusedDocument]:
        """The latest documents refused, newest first."""
        rows = await self.session.execute(_REFUSED, {"limit": limit})
        return [RefusedDocument(int(i), route, source, reason, at) for i, route, source, reason, at in rows]

    async def record_dead_letter(
        self, queue: str, reason: str, body: bytes, message_id: str | None, published_by: str | None
    ) -> None:
        """A queued document refused whole (unauthenticated), in the tray beside the inbox's dead letters."""
        await self.session.execute(
            _DEAD_LETTER,
            {
                "queue": queue,
                "event_id": message_id,
                "reason": reason,
                "body": body,
                "published_by": published_by,
            },
        )
