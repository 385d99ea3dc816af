"""The officers' tray of referrals the gateway refused: each waits, counted and aged, until an officer redirects
it to an agent that may lawfully take it (a collection agency) or returns it to recovery. Who acted is the
signed-in officer; each decision is recorded on the placement and published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from services.agents_gateway.domain.records import PlacedDebt
from services.agents_gateway.domain.refused_placements import CannotRedirect, agent_to_redirect_to
from services.agents_gateway.domain.trays import hours_waiting
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.referrals import alternatives_for, placed_debt
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.placements import Placement
from shared.contracts.agents_gateway import PlacementRedirected, PlacementRejected


class NotAwaitingAnOfficer(LookupError):
    """No refused referral with that id waits for a decision (none, not refused, or already decided)."""


@dataclass(frozen=True)
class Redirected:
    """Where an officer sent a refused referral."""

    referral_id: UUID
    agent: str
    agency_kind: str


async def refused_tray(gateway: AgentsGateway, limit: int = 100) -> dict[str, Any]:
    """The tray: how many wait, the oldest's age in hours, and each item (longest waiting first) with its
    reasons, its age and the collection agencies that could lawfully take it."""
    now = gateway.clock.now()
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        count, oldest = await handling.stores.placements.refused_count()
        items = await handling.stores.placements.refused_awaiting_officer(limit)
    return {
        "waiting": count,
        "oldest_hours_waiting": hours_waiting(oldest, now),
        "items": [
            {
                "referral_id": str(item.referral_id),
                "case_id": str(item.case_id),
                "debt_id": str(item.debt_id),
                "debt_type": item.debt_type,
                "balance_pence": item.balance_pence,
                "agency_kind_asked_for": item.agency_kind,
                "agent_chosen": item.agent_code,
                "reasons": (item.refusal or "").split("; "),
                "referred_on": item.referred_on.isoformat(),
                "refused_at": item.refused_at.isoformat() if item.refused_at else None,
                "hours_waiting": hours_waiting(item.refused_at, now),
                "lawful_alternatives": alternatives_for(item, gateway),
            }
            for item in items
        ],
    }


async def _undecided(handling: Any, referral_id: UUID) -> Placement:
    found: Placement | None = await handling.stores.placements.get(referral_id)
    if found is None or found.status != "refused" or found.decision is not None:
        raise NotAwaitingAnOfficer(f"no refused referral {referral_id} awaits an officer's decision")
    return found


async def redirect(
    gateway: AgentsGateway, referral_id: UUID, officer: str, agent_code: str | None, reason: str | None
) -> Redirected:
    """Send a refused referral to the agent named, or to the lawful collection agency with fewest open cases;
    it goes with that agent's next placement file. `CannotRedirect` when no agent may lawfully take it."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        found = await _undecided(handling, referral_id)
        try:
            debt = PlacedDebt.model_validate(placed_debt(found, gateway.settings.liability_order_court))
        except ValidationError as error:
            raise CannotRedirect(
                "; ".join(item["msg"] for item in error.errors(include_input=False, include_url=False))
            ) from None
        agent = agent_to_redirect_to(
            debt,
            gateway.agents.registry.agents,
            await handling.stores.placements.open_cases_by_agent(),
            agent_code,
        )
        now = gateway.clock.now()
        if not await handling.stores.placements.redirect(
            referral_id, agent.code, agent.kind.value, officer, now, reason
        ):
            raise NotAwaitingAnOfficer(f"referral {referral_id} was decided meanwhile")
        await handling.outbox.add(
            PlacementRedirected(
                referral_id=referral_id,
                case_id=found.case_id,
                debt_id=found.debt_id,
                agent=agent.code,
                agency_kind=agent.kind.value,
                redirected_by=officer,
                redirected_on=gateway.clock.today(),
            )
        )
    return Redirected(referral_id, agent.code, agent.kind.value)


async def return_to_recovery(gateway: AgentsGateway, referral_id: UUID, officer: str, reason: str) -> None:
    """Give a refused referral back to recovery, which takes its policy's next step (`PlacementRejected`)."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        found = await _undecided(handling, referral_id)
        today = gateway.clock.today()
        if not await handling.stores.placements.return_to_recovery(
            referral_id, officer, gateway.clock.now(), reason, today
        ):
            raise NotAwaitingAnOfficer(f"referral {referral_id} was decided meanwhile")
        await handling.outbox.add(
            PlacementRejected(
                referral_id=referral_id,
                debt_id=found.debt_id,
                agent=found.agent_code or "none",
                reason=f"refused by the gateway ({found.refusal}); returned to recovery by {officer}: {reason}",
                rejected_on=today,
            )
        )
