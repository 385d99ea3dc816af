"""A case referred by recovery becomes a placement with an agent chosen from the registry by debt type.

The placement waits for the next scheduled placement file (or a send-now). A referral no agent may lawfully take
(no agent of that kind takes the debt type, or an enforcement agent lacks the court order it needs) is refused at
once, never silently: `PlacementRefused` names the reasons and the collection agencies that could take it, and
the referral waits in the officers' tray (`refused_placements.py`) to be redirected or returned to recovery.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.placement_rules import reasons_debt_cannot_go_to
from services.agents_gateway.domain.records import PlacedDebt
from services.agents_gateway.domain.refused_placements import lawful_alternatives
from services.agents_gateway.gateway_service import AgentsGateway, GatewayHandling, gateway_router
from services.agents_gateway.stores.placements import Placement
from shared.contracts.agents_gateway import PlacementRefused
from shared.contracts.recovery import CaseReferred

router = gateway_router()


def placed_debt(placement: Placement, court: str) -> dict[str, Any]:
    """The `debts[0]` part of a placement record for a placement."""
    debt: dict[str, Any] = {
        "debt_reference": str(placement.debt_id),
        "debt_type": placement.debt_type,
        "balance_pence": placement.balance_pence,
    }
    if placement.liability_order_reference and placement.liability_order_date:
        debt["liability_order"] = {
            "court": court,
            "granted_on": placement.liability_order_date,
            "order_reference": placement.liability_order_reference,
            "amount_pence": placement.balance_pence,
        }
    if placement.judgment_claim_number and placement.judgment_on:
        debt["judgment"] = {
            "court": placement.judgment_court or "County Court",
            "claim_number": placement.judgment_claim_number,
            "judgment_on": placement.judgment_on,
            "amount_pence": placement.balance_pence,
        }
    return debt


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'debt'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False, include_context=False)
    )


def placement_for(referral: CaseReferred, agent: Agent | None) -> Placement:
    """The placement of a referral with the agent chosen (None: no agent fits), awaiting its file."""
    return Placement(
        referral_id=referral.referral_id,
        case_reference=str(referral.referral_id),
        case_id=referral.case_id,
        debt_id=referral.debt_id,
        customer_ids=list(referral.customer_ids),
        agent_code=agent.code if agent else None,
        debt_type=referral.debt_type,
        agency_kind=referral.agency_kind,
        balance_pence=referral.balance_pence,
        referred_on=referral.referred_on,
        liability_order_reference=referral.liability_order_reference,
        liability_order_date=referral.liability_order_date,
        judgment_court=referral.judgment_court,
        judgment_claim_number=referral.judgment_claim_number,
        judgment_on=referral.judgment_on,
        vulnerability_flags=list(referral.vulnerability_flags),
        contact_notes=referral.contact_notes,
        status="awaiting_file",
    )


def reasons_placement_is_refused(
    referral: CaseReferred, placement: Placement, agent: Agent | None, court: str
) -> list[str]:
    """Why the referral cannot be placed: no agent fits, no debtor named, or the chosen agent may not take the
    debt (e.g. an enforcement agent without a liability order). Empty when it may be placed."""
    if agent is None:
        return [f"no {referral.agency_kind} in the registry takes {referral.debt_type} debts"]
    if not referral.customer_ids:
        return ["the referral names no debtor"]
    try:
        return reasons_debt_cannot_go_to(PlacedDebt.model_validate(placed_debt(placement, court)), agent)
    except ValidationError as error:
        return [_describe(error)]


def refused(placement: Placement, reasons: list[str], today: date, now: datetime) -> Placement:
    """The placement refused with its reasons, waiting for an officer from `now`."""
    return placement.model_copy(
        update={"status": "refused", "refusal": "; ".join(reasons), "answered_on": today, "refused_at": now}
    )


def alternatives_for(placement: Placement, gateway: AgentsGateway) -> list[str]:
    """The collection agencies that could lawfully take a refused placement (none when the debt itself cannot be
    placed, e.g. council tax without its liability order)."""
    try:
        debt = PlacedDebt.model_validate(placed_debt(placement, gateway.settings.liability_order_court))
    except ValidationError:
        return []
    return [agent.code for agent in lawful_alternatives(debt, gateway.agents.registry.agents)]


@router.handles(CaseReferred)
async def place_referred_case(referral: CaseReferred, handling: GatewayHandling) -> None:
    """Record the placement with the agent best suited, or refuse it with the reasons into the officers' tray."""
    placements = handling.stores.placements
    gateway = handling.service
    if await placements.get(referral.referral_id) is not None:
        return  # the same referral again (recovery re-sent it): already placed
    agent = gateway.agents.choose_for(
        referral.debt_type, referral.agency_kind, await placements.open_cases_by_agent()
    )
    placement = placement_for(referral, agent)
    reasons = reasons_placement_is_refused(referral, placement, agent, gateway.settings.liability_order_court)
    if reasons:
        placement = refused(placement, reasons, gateway.clock.today(), gateway.clock.now())
    await placements.add(placement)
    if reasons:
        await handling.outbox.add(
            PlacementRefused(
                referral_id=referral.referral_id,
                case_id=referral.case_id,
                debt_id=referral.debt_id,
                agency_kind=referral.agency_kind,
                agent=agent.code if agent else "none",
                reasons=reasons,
                lawful_alternatives=alternatives_for(placement, gateway),
                refused_on=gateway.clock.today(),
            )
        )
