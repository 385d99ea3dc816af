"""Recalls and returns requested by the council.

A recall takes the case back: with `immediate` (breathing space) it goes at once in a file of its own, otherwise
with the next batch. A placement not yet sent is simply withdrawn. A return request (HTTP, by an officer) asks the
agent to close and return the case at the end of its current stage.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.records import Recall, ReturnRequested
from services.agents_gateway.gateway import runtime
from services.agents_gateway.instructions import add_instruction, open_placements
from services.agents_gateway.tables import PlacementRow
from shared.clock import clock
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import RecallRequested

_RECALLED = text(
    "UPDATE placement SET status = :status, recalled_on = :recalled_on WHERE referral_id = :referral_id"
)


@runtime.inbox.handles(RecallRequested)
async def recall_case(session: AsyncSession, recall: RecallRequested, envelope: Envelope) -> None:
    """Withdraw an unsent placement, or send the agent a recall (at once when `immediate`)."""
    placements = await open_placements(session, [recall.debt_id])
    if recall.referral_id is not None:
        placements = [p for p in placements if p.referral_id == recall.referral_id]
    for placement in placements:
        await session.execute(
            _RECALLED,
            {
                "status": "withdrawn" if placement.status == "awaiting_file" else "recalled",
                "recalled_on": recall.requested_on,
                "referral_id": placement.referral_id,
            },
        )
        if placement.status == "awaiting_file":
            continue
        await add_instruction(
            session,
            placement.agent_code,
            placement.referral_id,
            Recall(
                case_reference=placement.case_reference, recalled_on=recall.requested_on, reason=recall.reason
            ),
            urgent=recall.immediate,
        )


class NotWithAnAgent(Exception):
    """The placement is not (or no longer) with an agent, so there is nothing to ask back."""


async def request_return(session: AsyncSession, placement: PlacementRow, reason: str) -> None:
    """Ask the agent to return the case (sent with the next file)."""
    if placement.status not in ("sent", "acknowledged") or placement.agent_code is None:
        raise NotWithAnAgent(f"the placement is {placement.status}, not with an agent")
    await add_instruction(
        session,
        placement.agent_code,
        placement.referral_id,
        ReturnRequested(case_reference=placement.case_reference, requested_on=clock.today(), reason=reason),
        urgent=False,
    )
