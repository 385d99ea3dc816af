"""A referral the gateway refused is an officer's work, never dropped: who may lawfully take it instead, and how
long it has waited.

An enforcement agent takes control of goods only with a liability order, a warrant or a county court judgment
behind the debt; without one the lawful route is a collection agency, which only collects ("collection only",
NELC 10). So the tray names the collection agencies whose contract covers the debt type, and an officer either
redirects the referral to one of them or returns it to recovery, which takes its policy's next step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.agents_gateway.domain.agent_registry import Agent, AgentKind
from services.agents_gateway.domain.placement_rules import reasons_debt_cannot_go_to
from services.agents_gateway.domain.records import PlacedDebt


class CannotRedirect(ValueError):
    """The agent named (or every agent there is) may not lawfully take the refused referral."""


def lawful_alternatives(debt: PlacedDebt, agents: Iterable[Agent]) -> list[Agent]:
    """The collection agencies that may take this debt (their contract covers its type), in registry order."""
    return [
        agent
        for agent in agents
        if agent.kind is AgentKind.COLLECTION_AGENCY and not reasons_debt_cannot_go_to(debt, agent)
    ]


def agent_to_redirect_to(
    debt: PlacedDebt, agents: Iterable[Agent], open_cases: Mapping[str, int], asked_for: str | None = None
) -> Agent:
    """The agent a refused referral goes to: the one the officer named, if it may lawfully take the debt;
    otherwise the lawful collection agency with fewest open cases. `CannotRedirect` says why none may."""
    every_agent = list(agents)
    if asked_for is not None:
        named = next((agent for agent in every_agent if agent.code == asked_for), None)
        if named is None:
            raise CannotRedirect(f"no agent {asked_for} in the registry")
        reasons = reasons_debt_cannot_go_to(debt, named)
        if reasons:
            raise CannotRedirect("; ".join(reasons))
        return named
    candidates = lawful_alternatives(debt, every_agent)
    if not candidates:
        raise CannotRedirect(f"no collection agency in the registry takes {debt.debt_type.value} debts")
    return min(candidates, key=lambda agent: open_cases.get(agent.code, 0))
