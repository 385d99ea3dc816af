"""A case referred by recovery becomes a placement with an agent chosen from the registry by debt type.

The placement waits for the next scheduled placement file (or a send-now). A referral no agent may take (no
agent of that kind takes the debt type, or an enforcement agent lacks the court order it needs) is refused at
once with `PlacementRejected`, so recovery decides what next.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.placement_rules import reasons_debt_cannot_go_to
from services.agents_gateway.domain.records import PlacedDebt
from services.agents_gateway.gateway import agents, runtime, settings
from services.agents_gateway.tables import PlacementRow
from shared.clock import clock
from shared.contracts.agents_gateway import PlacementRejected
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import CaseReferred

OPEN_STATUSES = ("awaiting_file", "sent", "acknowledged")
"""A placement in one of these is with (or about to go to) its agent."""

_OPEN_CASES_BY_AGENT = text(
    "SELECT agent_code, count(*) FROM placement WHERE status = ANY(:statuses) AND agent_code IS NOT NULL "
    "GROUP BY agent_code"
)


def placed_debt(row: PlacementRow | Any, court: str) -> dict[str, Any]:
    """The `debts[0]` part of a placement record for a placement row (ORM row or SQL row)."""
    debt: dict[str, Any] = {
        "debt_reference": str(row.debt_id),
        "debt_type": row.debt_type,
        "balance_pence": row.balance_pence,
    }
    if row.liability_order_reference and row.liability_order_date:
        debt["liability_order"] = {
            "court": court,
            "granted_on": row.liability_order_date,
            "order_reference": row.liability_order_reference,
            "amount_pence": row.balance_pence,
        }
    if row.judgment_claim_number and row.judgment_on:
        debt["judgment"] = {
            "court": row.judgment_court or "County Court",
            "claim_number": row.judgment_claim_number,
            "judgment_on": row.judgment_on,
            "amount_pence": row.balance_pence,
        }
    return debt


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'debt'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False, include_context=False)
    )


@runtime.inbox.handles(CaseReferred)
async def place_referred_case(session: AsyncSession, referral: CaseReferred, envelope: Envelope) -> None:
    """Record the placement with the agent best suited, or refuse it with the reason."""
    if await session.get(PlacementRow, referral.referral_id) is not None:
        return  # the same referral again (recovery re-sent it): already placed
    open_cases: dict[str, int] = dict(
        (await session.execute(_OPEN_CASES_BY_AGENT, {"statuses": list(OPEN_STATUSES)})).all()
    )
    agent = agents.choose_for(referral.debt_type, referral.agency_kind, open_cases)
    row = PlacementRow(
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
    reasons: list[str] = []
    if agent is None:
        reasons.append(f"no {referral.agency_kind} in the registry takes {referral.debt_type} debts")
    elif not referral.customer_ids:
        reasons.append("the referral names no debtor")
    else:
        try:
            reasons = reasons_debt_cannot_go_to(
                PlacedDebt.model_validate(placed_debt(row, settings.liability_order_court)), agent
            )
        except ValidationError as error:
            reasons.append(_describe(error))
    if reasons:
        row.status = "refused"
        row.refusal = "; ".join(reasons)
        row.answered_on = clock.today()
    session.add(row)
    if reasons:
        await runtime.outbox.add(
            session,
            PlacementRejected(
                referral_id=referral.referral_id,
                debt_id=referral.debt_id,
                agent=agent.code if agent else "none",
                reason=row.refusal or "",
                rejected_on=clock.today(),
            ),
            causation=envelope,
        )
