"""The council's reconciliation of its agents, from the gateway's records (the checks are in domain/).

- placements sent but neither acknowledged nor rejected after the agent's allowed days (or a number given);
- payments agents reported against payments billing posted through the agent channel;
- cases the council recalled on which an agent still reports activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.agents_gateway.domain.reconciliation import (
    AgentActivity,
    PaymentReconciliation,
    PlacementSent,
    activity_after_recall,
    reconcile_agent_payments,
    unacknowledged_placements,
)
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.stores import AgentsGatewayStores


@dataclass
class Reconciliation:
    """The three checks as of a date."""

    as_of: date
    unacknowledged: list[PlacementSent]
    payments: PaymentReconciliation
    activity_after_recall: list[AgentActivity]


async def reconcile(
    gateway: AgentsGateway, as_of: date, after_days: int | None = None, posting_lag_days: int = 3
) -> Reconciliation:
    """Run the three checks. `after_days` overrides each agent's `acknowledgement_due_within_days`."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        stores = handling.stores
        sent = await stores.placements.sent_unanswered()
        reported = await stores.agent_returns.reported_payments()
        posted = await stores.agent_returns.posted_payments()
        recalled = {r.case_reference: r.recalled_on for r in await stores.placements.recalled()}
        activity = await stores.agent_returns.activity_on_recalled()
    overdue: list[PlacementSent] = []
    for code in sorted({placement.agent for placement in sent}):
        try:
            allowed = after_days or gateway.agents.agent(code).schedule.acknowledgement_due_within_days
        except KeyError:
            allowed = after_days or 5
        overdue.extend(unacknowledged_placements([p for p in sent if p.agent == code], (), as_of, allowed))
    return Reconciliation(
        as_of=as_of,
        unacknowledged=overdue,
        payments=reconcile_agent_payments(reported, posted, posting_lag_days=posting_lag_days, as_of=as_of),
        activity_after_recall=activity_after_recall(recalled, activity),
    )
