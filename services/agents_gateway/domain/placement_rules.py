"""Whether a placement may go to a given agent, checked before it is put in a file.

An agent takes only the debt types its contract names. An enforcement agent may take control of goods only under
a liability order (council tax, business rates), a Traffic Enforcement Centre warrant (parking penalties) or a
county court judgment (everything else); a collection agency needs none of these because it only collects.
"""

from __future__ import annotations

from services.agents_gateway.domain.agent_registry import Agent, AgentKind
from services.agents_gateway.domain.debt_types import DEBT_TYPES_ENFORCED_WITHOUT_A_JUDGMENT
from services.agents_gateway.domain.records import PlacedDebt, Placement


def reasons_placement_cannot_go_to(placement: Placement, agent: Agent) -> list[str]:
    """Every reason this agent cannot take this placement; an empty list means it may be placed."""
    return [reason for debt in placement.debts for reason in reasons_debt_cannot_go_to(debt, agent)]


def reasons_debt_cannot_go_to(debt: PlacedDebt, agent: Agent) -> list[str]:
    """Every reason this agent cannot take this one debt (its type, or the order an enforcement agent needs)."""
    reasons: list[str] = []
    if not agent.takes(debt.debt_type):
        reasons.append(f"debt {debt.debt_reference}: {agent.code} does not take {debt.debt_type.value} debts")
    if (
        agent.kind is AgentKind.ENFORCEMENT_AGENT
        and debt.debt_type not in DEBT_TYPES_ENFORCED_WITHOUT_A_JUDGMENT
        and debt.judgment is None
    ):
        reasons.append(
            f"debt {debt.debt_reference}: an enforcement agent needs a county court judgment "
            f"for a {debt.debt_type.value} debt"
        )
    return reasons
