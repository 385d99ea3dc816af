"""What the central debt team looks at: open moratoria and their end dates, possible matches waiting for an
officer, holds a service has not confirmed, debts reported back, and documents refused.

Nothing waits silently: a possible match older than the configured time and a hold unconfirmed after the
confirmation window are marked as alerts here (and logged by `confirmations.watch_for_unconfirmed_work`).
No personal data is shown: customers by id, debts by the council's reference.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.hold_confirmations import (
    HoldBroadcast,
    HoldChange,
    UnconfirmedHold,
    unconfirmed_holds,
)
from services.breathing_space.service import configuration, rules


async def open_moratoria(session: AsyncSession, today: date) -> list[dict[str, Any]]:
    """Moratoria whose hold has not ended, with their end dates (None: crisis treatment continuing)."""
    rows = await session.execute(
        text(
            """
            SELECT m.moratorium_reference, m.kind, m.start_date, m.end_date, m.status, m.match_state,
                   m.match_explanation, m.hold_version, m.notes,
                   (SELECT count(*) FROM held_debt h WHERE h.moratorium_reference = m.moratorium_reference)
            FROM moratorium m WHERE NOT m.hold_ended ORDER BY m.end_date NULLS LAST, m.moratorium_reference
            """
        )
    )
    return [
        {
            "moratorium_reference": ref,
            "kind": kind,
            "start_date": start,
            "end_date": end,
            "days_left": (end - today).days if end else None,
            "status": status,
            "match": match_state,
            "match_explanation": explanation,
            "hold_version": version,
            "debts_held": held,
            "notes": notes,
        }
        for ref, kind, start, end, status, match_state, explanation, version, notes, held in rows
    ]


async def pending_matches(session: AsyncSession, now: datetime) -> list[dict[str, Any]]:
    """Possible matches no officer has decided yet, oldest first, with an alert once they are too old."""
    rows = await session.execute(
        text(
            "SELECT moratorium_reference, explanation, candidates, queued_at FROM pending_match "
            "WHERE decision IS NULL ORDER BY queued_at"
        )
    )
    return [
        {
            "moratorium_reference": ref,
            "explanation": explanation,
            "candidates": candidates,
            "queued_at": queued_at,
            "waiting_seconds": int((now - queued_at).total_seconds()),
            "alert": now - queued_at > configuration.pending_match_alert_after,
        }
        for ref, explanation, candidates, queued_at in rows
    ]


async def unmatched_moratoria(session: AsyncSession) -> list[str]:
    """Open moratoria that matched no customer: held only by the notified references, for an officer to check."""
    rows = await session.execute(
        text(
            "SELECT moratorium_reference FROM moratorium WHERE match_state = 'none' AND NOT hold_ended ORDER BY 1"
        )
    )
    return [r[0] for r in rows]


async def broadcasts_awaiting_confirmation(session: AsyncSession) -> list[HoldBroadcast]:
    """Every hold broadcast some confirming service has not confirmed yet."""
    rows = await session.execute(
        text(
            """
            SELECT b.moratorium_reference, b.hold_version, b.change, b.broadcast_at,
                   coalesce(jsonb_object_agg(c.service, c.confirmed_at) FILTER (WHERE c.service IS NOT NULL),
                            '{}')
            FROM hold_broadcast b
            LEFT JOIN hold_confirmation c
              ON c.moratorium_reference = b.moratorium_reference AND c.hold_version = b.hold_version
            GROUP BY b.moratorium_reference, b.hold_version
            HAVING count(c.service) FILTER (WHERE c.service = ANY(CAST(:services AS text[]))) < :required
            """
        ),
        {"services": sorted(rules.confirming_services), "required": len(rules.confirming_services)},
    )
    return [
        HoldBroadcast(
            broadcast_id=f"{ref}#{version}",
            moratorium_reference=ref,
            change=HoldChange(change),
            broadcast_at=broadcast_at,
            must_confirm=rules.confirming_services,
            confirmed_by={service: datetime.fromisoformat(at) for service, at in confirmed.items()},
        )
        for ref, version, change, broadcast_at, confirmed in rows
    ]


async def unconfirmed(session: AsyncSession, now: datetime) -> list[UnconfirmedHold]:
    """Holds a service has not confirmed within the configured window: alerts."""
    return unconfirmed_holds(await broadcasts_awaiting_confirmation(session), now, rules.confirmation_window)


async def reports_back(session: AsyncSession, limit: int = 100) -> list[dict[str, Any]]:
    """The latest debts reported back to the Insolvency Service."""
    rows = await session.execute(
        text(
            """
            SELECT r.report_reference, r.moratorium_reference, r.reported_on, r.written_to,
                   array_agg(h.creditor_reference ORDER BY h.creditor_reference)
            FROM debts_report r JOIN held_debt h ON h.reported_back_in = r.report_reference
            GROUP BY r.report_reference ORDER BY r.recorded_at DESC LIMIT :limit
            """
        ),
        {"limit": limit},
    )
    return [
        {
            "report_reference": report,
            "moratorium_reference": ref,
            "reported_on": reported_on,
            "written_to": written_to,
            "debts": list(debts),
        }
        for report, ref, reported_on, written_to, debts in rows
    ]


async def refused_documents(session: AsyncSession, limit: int = 50) -> list[dict[str, Any]]:
    """The latest documents refused (malformed, unauthenticated, replayed), kept for audit."""
    rows = await session.execute(
        text(
            "SELECT id, route, source, reason, received_at FROM received_document WHERE outcome = 'refused' "
            "ORDER BY id DESC LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [
        {"received_document_id": i, "route": route, "source": source, "reason": reason, "received_at": at}
        for i, route, source, reason, at in rows
    ]


async def status_view(session: AsyncSession, today: date, now: datetime) -> dict[str, Any]:
    """The whole status page."""
    alerts = await unconfirmed(session, now)
    matches = await pending_matches(session, now)
    return {
        "business_date": today,
        "open_moratoria": await open_moratoria(session, today),
        "pending_matches": matches,
        "unmatched_moratoria": await unmatched_moratoria(session),
        "unconfirmed_holds": [
            {
                "moratorium_reference": a.moratorium_reference,
                "hold_version": int(a.broadcast_id.rsplit("#", 1)[1]),
                "change": a.change.value,
                "awaiting": list(a.awaiting),
                "waiting_seconds": int(a.waiting_for / timedelta(seconds=1)),
            }
            for a in alerts
        ],
        "debts_reported_back": await reports_back(session),
        "refused_documents": await refused_documents(session),
        "alerts": len(alerts) + sum(1 for m in matches if m["alert"]),
    }
