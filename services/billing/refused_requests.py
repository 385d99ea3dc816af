"""Refused requests (charges, credit notes, cancellations), kept whole with their reasons for audit."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import clock
from shared.contracts.envelope import Envelope
from shared.ids import new_id


async def keep_refusal(
    session: AsyncSession,
    kind: str,
    requesting_system: str,
    external_reference: str,
    reasons: list[str],
    request_json: str,
    envelope: Envelope | None,
) -> None:
    """Keep a refused request whole, with its reasons, for audit."""
    await session.execute(
        text(
            "INSERT INTO refused_request (refusal_id, request_kind, requesting_system, external_reference, "
            "reasons, request, refused_on, event_id) VALUES (:id, :kind, :system, :reference, "
            "CAST(:reasons AS text[]), CAST(:request AS jsonb), :refused_on, :event_id)"
        ),
        {
            "id": new_id(),
            "kind": kind,
            "system": requesting_system,
            "reference": external_reference,
            "reasons": reasons,
            "request": request_json,
            "refused_on": clock.today(),
            "event_id": envelope.event_id if envelope else None,
        },
    )
