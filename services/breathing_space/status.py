"""What the central debt team looks at: open moratoria and their end dates (with, for each, the debts held per
service, the ongoing liabilities, the review and court deadlines and anything unconfirmed), possible matches
waiting for an officer, holds a service has not confirmed, debts reported back, and documents refused.

Nothing waits silently: a possible match older than the configured time and a hold unconfirmed after the
confirmation window are marked as alerts here (and logged by `confirmations.watch_for_unconfirmed_work`).
No personal data is shown: customers by id, debts by the council's reference.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from services.breathing_space.breathing_space_service import BreathingSpaceHandling
from services.breathing_space.domain.creditor_rights import (
    court_application_deadline,
    deadline_on,
    review_request_deadline,
)
from services.breathing_space.domain.hold_confirmations import (
    HoldBroadcast,
    HoldChange,
    UnconfirmedHold,
    unconfirmed_holds,
)
from services.breathing_space.stores.holds import HeldDebtConfirmed


async def open_moratoria(handling: BreathingSpaceHandling, today: date) -> list[dict[str, Any]]:
    """Moratoria whose hold has not ended, with their end dates (None: crisis treatment continuing), and for each:
    the debts held per service (and those a service has not confirmed), the ongoing liabilities (not frozen), the
    joint debts' other parties, the council's deadlines (review request, reg 17; court application, reg 19) with
    the days left, and its review requests."""
    stores = handling.stores
    found = await stores.moratoria.open_moratoria()
    references = [m.moratorium_reference for m in found]
    debts: dict[str, list[HeldDebtConfirmed]] = {}
    for debt in await stores.holds.confirmed_per_debt(references):
        debts.setdefault(debt.moratorium_reference, []).append(debt)
    reviews: dict[str, list[dict[str, Any]]] = {}
    for review in await stores.review_requests.of(references):
        reviews.setdefault(review.moratorium_reference, []).append(asdict(review))
    services = sorted(handling.service.rules.confirming_services)
    return [
        {
            "moratorium_reference": m.moratorium_reference,
            "kind": m.kind,
            "start_date": m.start_date,
            "application_date": m.application_date,
            "application_date_notified": m.application_date_notified,
            "end_date": m.end_date,
            "days_left": (m.end_date - today).days if m.end_date else None,
            "status": m.status,
            "match": m.match,
            "match_explanation": m.match_explanation,
            "hold_version": m.hold_version,
            "debts_held": m.debts_held,
            **_debts_of(debts.get(m.moratorium_reference, []), services),
            "deadlines": _deadlines(m.start_date, today),
            "review_requests": reviews.get(m.moratorium_reference, []),
            "notes": m.notes,
        }
        for m in found
    ]


def _debts_of(held: list[HeldDebtConfirmed], services: list[str]) -> dict[str, Any]:
    reference = {d.debt_id: d.creditor_reference or str(d.debt_id) for d in held}
    return {
        "debts_held_per_service": {
            service: sorted(reference[d.debt_id] for d in held if service in d.confirmed_by)
            for service in services
        },
        "unconfirmed": [
            {"debt": reference[d.debt_id], "awaiting": [s for s in services if s not in d.confirmed_by]}
            for d in held
            if not set(services) <= set(d.confirmed_by)
        ],
        "ongoing_liabilities": [
            {
                "debt": reference[d.debt_id],
                "debt_type": d.debt_type,
                "ongoing_liabilities_pence": d.ongoing_liabilities_pence,
                "ongoing_from": d.ongoing_from,
            }
            for d in held
            if d.ongoing_liabilities_pence > 0
        ],
        "joint_debts": [
            {
                "debt": reference[d.debt_id],
                "other_liable_customer_ids": d.not_protected_customer_ids,
                "other_parties_policy": d.other_parties_policy,
            }
            for d in held
            if d.not_protected_customer_ids
        ],
    }


def _deadlines(start: date | None, today: date) -> dict[str, Any] | None:
    if start is None:
        return None
    return {
        "review_request": asdict(deadline_on(review_request_deadline(start), today)),
        "court_application": asdict(deadline_on(court_application_deadline(start), today)),
    }


async def pending_matches(handling: BreathingSpaceHandling, now: datetime) -> list[dict[str, Any]]:
    """Possible matches no officer has decided yet, oldest first, with an alert once they are too old."""
    alert_after = handling.service.settings.pending_match_alert_after
    return [
        {
            "moratorium_reference": m.moratorium_reference,
            "explanation": m.explanation,
            "candidates": m.candidates,
            "queued_at": m.queued_at,
            "waiting_seconds": int((now - m.queued_at).total_seconds()),
            "alert": now - m.queued_at > alert_after,
        }
        for m in await handling.stores.matches.undecided()
    ]


async def broadcasts_awaiting_confirmation(handling: BreathingSpaceHandling) -> list[HoldBroadcast]:
    """Every hold broadcast some confirming service has not confirmed yet."""
    confirming = handling.service.rules.confirming_services
    return [
        HoldBroadcast(
            broadcast_id=f"{b.moratorium_reference}#{b.hold_version}",
            moratorium_reference=b.moratorium_reference,
            change=HoldChange(b.change),
            broadcast_at=b.broadcast_at,
            must_confirm=confirming,
            confirmed_by=b.confirmed_by,
        )
        for b in await handling.stores.holds.awaiting_confirmation(confirming)
    ]


async def unconfirmed(handling: BreathingSpaceHandling, now: datetime) -> list[UnconfirmedHold]:
    """Holds a service has not confirmed within the configured window: alerts."""
    window = handling.service.rules.confirmation_window
    return unconfirmed_holds(await broadcasts_awaiting_confirmation(handling), now, window)


async def reports_back(handling: BreathingSpaceHandling, limit: int = 100) -> list[dict[str, Any]]:
    """The latest debts reported back to the Insolvency Service."""
    return [asdict(r) for r in await handling.stores.reports.latest(limit)]


async def refused_documents(handling: BreathingSpaceHandling, limit: int = 50) -> list[dict[str, Any]]:
    """The latest documents refused (malformed, unauthenticated, replayed), kept for audit."""
    return [asdict(d) for d in await handling.stores.documents.latest_refused(limit)]


async def status_view(handling: BreathingSpaceHandling, today: date, now: datetime) -> dict[str, Any]:
    """The whole status page."""
    alerts = await unconfirmed(handling, now)
    matches = await pending_matches(handling, now)
    return {
        "business_date": today,
        "open_moratoria": await open_moratoria(handling, today),
        "pending_matches": matches,
        "unmatched_moratoria": await handling.stores.moratoria.unmatched(),
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
        "debts_reported_back": await reports_back(handling),
        "refused_documents": await refused_documents(handling),
        "alerts": len(alerts) + sum(1 for m in matches if m["alert"]),
    }
