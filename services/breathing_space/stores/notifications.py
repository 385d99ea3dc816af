"""Accepted notifications, inbound and outbound, one per notification reference and version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.notifications import BreathingSpaceNotification


@dataclass(frozen=True)
class NotificationListed:
    """One notification of a moratorium, as its page lists it."""

    notification_reference: str
    version: int
    kind: str
    direction: str
    issued_at: datetime


_KEEP = text(
    "INSERT INTO notification (notification_reference, version, moratorium_reference, kind, direction, "
    "issued_at, document, received_document_id) VALUES (:ref, :version, :moratorium, :kind, :direction, "
    ":issued_at, :document, :received) ON CONFLICT DO NOTHING RETURNING 1"
)
_DOCUMENTS = text("SELECT document FROM notification WHERE moratorium_reference = :reference")
_LISTED = text(
    "SELECT notification_reference, version, kind, direction, issued_at FROM notification "
    "WHERE moratorium_reference = :reference ORDER BY issued_at"
)


class NotificationStore:
    """The notifications that tell each moratorium."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(
        self,
        notification: BreathingSpaceNotification,
        document: str,
        *,
        direction: str,
        received_document_id: int | None,
    ) -> bool:
        """Keep an accepted notification; False when the same reference and version is already held."""
        inserted = await self.session.execute(
            _KEEP,
            {
                "ref": notification.notification_reference,
                "version": notification.version,
                "moratorium": notification.moratorium_reference,
                "kind": notification.kind.value,
                "direction": direction,
                "issued_at": notification.issued_at,
                "document": document,
                "received": received_document_id,
            },
        )
        return inserted.first() is not None

    async def documents_of(self, moratorium_reference: str) -> list[str]:
        """Every stored document of one moratorium (in no particular order: the aggregate does not care)."""
        rows = await self.session.execute(_DOCUMENTS, {"reference": moratorium_reference})
        return [document for (document,) in rows]

    async def listed_for(self, moratorium_reference: str) -> list[NotificationListed]:
        """One moratorium's notifications, by issue time."""
        rows = await self.session.execute(_LISTED, {"reference": moratorium_reference})
        return [NotificationListed(r, int(v), k, d, at) for r, v, k, d, at in rows]
