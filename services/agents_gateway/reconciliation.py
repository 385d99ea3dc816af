"""The council's reconciliation of its agents, from the gateway's records (the checks are in domain/).

- placements sent but neither acknowledged nor rejected after the agent's allowed days (or a number given);
- payments agents reported against payments billing posted through the agent channel;
- cases the council recalled on which an agent still reports activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from services.agents_gateway.domain.reconciliation import (
    AgentActivity,
    AgentReportedPayment,
    PaymentReconciliation,
    PlacementSent,
    PostedAgentPayment,
    activity_after_recall,
    reconcile_agent_payments,
    unacknowledged_placements,
)
from services.agents_gateway.gateway import agents, runtime

_SENT = text(
    "SELECT case_reference, agent_code, placed_on FROM placement WHERE status = 'sent' AND placed_on IS NOT NULL"
)
_REPORTED = text(
    "SELECT a.agent_code, a.payment_reference, p.case_reference, a.amount_pence, a.collected_on "
    "FROM agent_payment a JOIN placement p USING (referral_id)"
)
# Billing posts an agent's collection under the channel reference "<agent>:<agent's payment reference>". The
# case is the most recent placement of the debt with that agent.
_POSTED = text(
    """
    SELECT DISTINCT ON (posted.payment_id, posted.debt_id)
           split_part(posted.channel_reference, ':', 1) AS agent_code,
           substr(posted.channel_reference, strpos(posted.channel_reference, ':') + 1) AS payment_reference,
           coalesce(p.case_reference, '') AS case_reference, posted.amount_pence, posted.received_on
    FROM posted_agent_payment posted
    LEFT JOIN placement p ON p.debt_id = posted.debt_id
         AND p.agent_code = split_part(posted.channel_reference, ':', 1) AND p.placed_on IS NOT NULL
    ORDER BY posted.payment_id, posted.debt_id, p.placed_on DESC NULLS LAST
    """
)
_RECALLED = text("SELECT case_reference, recalled_on FROM placement WHERE recalled_on IS NOT NULL")
_ACTIVITY_ON_RECALLED = text(
    "SELECT a.agent_code, p.case_reference, a.record_kind, a.occurred_on FROM agent_activity a "
    "JOIN placement p USING (referral_id) WHERE p.recalled_on IS NOT NULL"
)


@dataclass
class Reconciliation:
    """The three checks as of a date."""

    as_of: date
    unacknowledged: list[PlacementSent]
    payments: PaymentReconciliation
    activity_after_recall: list[AgentActivity]


async def reconcile(as_of: date, after_days: int | None = None, posting_lag_days: int = 3) -> Reconciliation:
    """Run the three checks. `after_days` overrides each agent's `acknowledgement_due_within_days`."""
    async with runtime.database.transaction() as session:
        sent = [
            PlacementSent(r.case_reference, r.agent_code, r.placed_on) for r in await session.execute(_SENT)
        ]
        reported = [AgentReportedPayment(*row) for row in await session.execute(_REPORTED)]
        posted = [PostedAgentPayment(*row) for row in await session.execute(_POSTED)]
        recalled = {r.case_reference: r.recalled_on for r in await session.execute(_RECALLED)}
        activity = [AgentActivity(*row) for row in await session.execute(_ACTIVITY_ON_RECALLED)]
    overdue: list[PlacementSent] = []
    for code in sorted({placement.agent for placement in sent}):
        try:
            allowed = after_days or agents.agent(code).schedule.acknowledgement_due_within_days
        except KeyError:
            allowed = after_days or 5
        overdue.extend(unacknowledged_placements([p for p in sent if p.agent == code], (), as_of, allowed))
    return Reconciliation(
        as_of=as_of,
        unacknowledged=overdue,
        payments=reconcile_agent_payments(reported, posted, posting_lag_days=posting_lag_days, as_of=as_of),
        activity_after_recall=activity_after_recall(recalled, activity),
    )
