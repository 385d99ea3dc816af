"""The council's request for a review of a moratorium (reg 17), raised by a breathing space officer: checked
against its grounds, evidence and 20-day limit (`domain/creditor_rights.py`), written as the outbound
`creditor_review_requested` document (NOTIFICATIONS.md), queued for the outbound folder and announced on the bus
(`breathing_space.review.requested`). The status page tracks its deadline and the 50-day court limit (reg 19).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from uuid import UUID

import structlog

from services.breathing_space.breathing_space_service import BreathingSpaceHandling
from services.breathing_space.domain.creditor_rights import (
    ReviewGround,
    check_review_request,
    review_request_deadline,
)
from services.breathing_space.domain.notifications import NotifiedDebt, render_notification
from services.breathing_space.domain.report_back import creditor_review_requested
from services.breathing_space.moratoria import load_moratorium
from services.breathing_space.stores.review_requests import NewReviewRequest
from shared.contracts.breathing_space import CreditorReviewRequested

log = structlog.get_logger("breathing_space.review_requests")


class ReviewRequestRefused(Exception):
    """The request cannot be sent: `status` is the HTTP answer, `reason` why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def request_a_review(
    handling: BreathingSpaceHandling,
    moratorium_reference: str,
    *,
    grounds: Sequence[ReviewGround],
    evidence_references: Sequence[str],
    explanation: str | None,
    debt_ids: Sequence[UUID],
    requested_by: str,
    today: date,
) -> NewReviewRequest:
    """Record and send the council's review request for these held debts (all held debts when none are named);
    raises `ReviewRequestRefused` when the regulations do not allow it."""
    stores = handling.stores
    await stores.moratoria.lock(moratorium_reference)
    moratorium = await load_moratorium(handling, moratorium_reference)
    if moratorium.start_date is None or moratorium.debtor is None:
        raise ReviewRequestRefused(404, f"no breathing space {moratorium_reference!r} has started")
    held = {d.debt_id: d for d in await stores.holds.held_debts(moratorium_reference)}
    strangers = [str(d) for d in debt_ids if d not in held]
    if strangers:
        raise ReviewRequestRefused(
            422, f"not moratorium debts of {moratorium_reference}: {', '.join(strangers)}"
        )
    chosen = [held[d] for d in debt_ids] if debt_ids else list(held.values())
    if not chosen:
        raise ReviewRequestRefused(409, "no debt is held under this moratorium yet")
    refusal = check_review_request(
        grounds=grounds,
        evidence_references=evidence_references,
        took_effect_on=moratorium.start_date,
        today=today,
    )
    if refusal is not None:
        raise ReviewRequestRefused(422, refusal.reason)
    reference = (
        f"BSRR-{moratorium_reference}-{await stores.review_requests.count_for(moratorium_reference) + 1}"
    )
    deadline = review_request_deadline(moratorium.start_date)
    document = render_notification(
        creditor_review_requested(
            moratorium_reference=moratorium_reference,
            notification_reference=reference,
            issued_at=datetime.now(UTC),
            requested_on=today,
            review_deadline=deadline,
            debtor=moratorium.debtor,
            creditor_name=handling.service.rules.creditor_name,
            grounds=grounds,
            evidence_references=[e.strip() for e in evidence_references if e.strip()],
            explanation=explanation,
            debts=[
                NotifiedDebt(
                    creditor_reference=d.creditor_reference or str(d.debt_id),
                    debt_type=d.debt_type or "unknown",
                )
                for d in chosen
            ],
        )
    )
    request = NewReviewRequest(
        request_reference=reference,
        moratorium_reference=moratorium_reference,
        requested_on=today,
        deadline=deadline,
        grounds=[g.value for g in grounds],
        evidence_references=[e.strip() for e in evidence_references if e.strip()],
        debt_ids=[d.debt_id for d in chosen],
        requested_by=requested_by,
        document=document,
    )
    await stores.review_requests.add(request)
    await handling.outbox.add(
        CreditorReviewRequested(
            moratorium_reference=moratorium_reference,
            request_reference=reference,
            requested_on=today,
            deadline=deadline,
            grounds=list(request.grounds),
            evidence_references=list(request.evidence_references),
            debt_ids=list(request.debt_ids),
            requested_by=requested_by,
            document=document,
        )
    )
    log.info("review requested", moratorium_reference=moratorium_reference, request_reference=reference)
    return request
