"""Recalls and returns requested by the council.

A recall takes the case back: with `immediate` (breathing space) it goes at once in a file of its own, otherwise
with the next batch. A placement not yet sent is simply withdrawn. A return request (HTTP, by an officer) asks the
agent to close and return the case at the end of its current stage.
"""

from __future__ import annotations

from services.agents_gateway.domain.records import Recall, ReturnRequested
from services.agents_gateway.gateway_service import GatewayHandling, gateway_router
from services.agents_gateway.stores.instructions import Instruction
from services.agents_gateway.stores.placements import Placement
from shared.contracts.recovery import RecallRequested

router = gateway_router()


@router.handles(RecallRequested)
async def recall_case(recall: RecallRequested, handling: GatewayHandling) -> None:
    """Withdraw an unsent placement, or send the agent a recall (at once when `immediate`)."""
    stores = handling.stores
    placements = await stores.placements.open_of_debts([recall.debt_id])
    if recall.referral_id is not None:
        placements = [p for p in placements if p.referral_id == recall.referral_id]
    for placement in placements:
        not_yet_sent = placement.status == "awaiting_file"
        await stores.placements.recall(
            placement.referral_id, "withdrawn" if not_yet_sent else "recalled", recall.requested_on
        )
        if not_yet_sent:
            continue
        await stores.instructions.add(
            [
                Instruction(
                    placement.agent_code,
                    placement.referral_id,
                    Recall(
                        case_reference=placement.case_reference,
                        recalled_on=recall.requested_on,
                        reason=recall.reason,
                    ),
                    urgent=recall.immediate,
                )
            ]
        )


class NotWithAnAgent(Exception):
    """The placement is not (or no longer) with an agent, so there is nothing to ask back."""


async def request_return(
    handling: GatewayHandling, placement: Placement, reason: str, requested_by: str
) -> None:
    """Ask the agent to return the case (sent with the next file), keeping which officer asked."""
    if placement.status not in ("sent", "acknowledged") or placement.agent_code is None:
        raise NotWithAnAgent(f"the placement is {placement.status}, not with an agent")
    await handling.stores.instructions.add(
        [
            Instruction(
                placement.agent_code,
                placement.referral_id,
                ReturnRequested(
                    case_reference=placement.case_reference,
                    requested_on=handling.service.clock.today(),
                    reason=reason,
                ),
                urgent=False,
                requested_by=requested_by,
            )
        ]
    )
