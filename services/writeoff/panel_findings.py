"""Recording the independent panel's finding on a write-off whose reason needs one (Derby App.1 §8).

The write-off officer (the Debt Manager's team) or the committee clerk records it: when the panel sat, who sat
on it or the reference of its record, and what it decided. Who recorded it is the signed-in person. Until a
finding recommending the write-off is recorded, no signature or committee decision can approve the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.writeoff.approvers import Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    PanelFinding,
    PanelOutcome,
    Refusal,
    RefusalCode,
    record_panel_finding,
    request_awaits_decision,
)
from services.writeoff.stores import WriteOffStores
from shared.messaging.inbox_router import Handling

Handled = Handling[WriteOffStores, WriteOff]


@dataclass(frozen=True)
class PanelFindingResult:
    """The finding kept, or why none was (with the HTTP status that says so)."""

    finding: PanelFinding | None
    refusals: tuple[Refusal, ...] = ()
    status: int = 200


async def record(
    handling: Handled,
    request_id: UUID,
    person: Person,
    panel_date: date,
    members: list[str],
    reference: str,
    outcome: PanelOutcome,
    note: str,
) -> PanelFindingResult | None:
    """Record the panel's finding on the request (None when the request is not the person's council's)."""
    stores, service = handling.stores, handling.service
    stored = await stores.requests.get(request_id)
    if stored is None or stored.council != person.council:
        return None
    if not request_awaits_decision(stored.status):
        refusal = Refusal(
            RefusalCode.SCHEDULE_NOT_AWAITING_DECISION,
            f"request {request_id} is {stored.status.replace('_', ' ')}; a panel finding is recorded only on a "
            "request awaiting its decision",
            str(request_id),
        )
        return PanelFindingResult(None, (refusal,), 409)
    outcome_or_refusals = record_panel_finding(
        stored.as_domain(),
        service.policy(stored.council).reasons,
        panel_date,
        members,
        reference,
        outcome,
        person.as_approver(),
        person.recorded_as,
        service.clock.now(),
        note,
    )
    if isinstance(outcome_or_refusals, list):
        codes = {r.code for r in outcome_or_refusals}
        return PanelFindingResult(
            None, tuple(outcome_or_refusals), 403 if RefusalCode.SELF_APPROVAL in codes else 422
        )
    if not await stores.panel_findings.record(outcome_or_refusals):
        refusal = Refusal(
            RefusalCode.PANEL_FINDING_ALREADY_RECORDED,
            f"the panel's finding on request {request_id} is already recorded; it is never replaced",
            str(request_id),
        )
        return PanelFindingResult(None, (refusal,), 409)
    return PanelFindingResult(outcome_or_refusals)
