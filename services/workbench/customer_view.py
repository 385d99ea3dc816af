"""The single view gathered from the services that own each part: billing (the customer, debts, instalments,
payments, allocations, holds, write-offs), recovery (cases, records, letters, holds, arrangements, contacts),
the agents gateway (the customer's placements) and breathing space (the customer's moratoria, by billing's
customer id). A part whose service did not answer is named on the page; the rest still shows."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from services.workbench.clients import ServiceProblem, Services
from services.workbench.domain.single_view import SingleView, single_view


@dataclass
class GatheredView:
    """The joined view, and what could not be read (service -> reason)."""

    view: SingleView
    placements: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The agents gateway's placements of the customer's debts by referral id, the latest referred first."""
    moratoria: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Breathing space's moratoria of the customer by reference, newest start first."""
    awaiting_decision: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Recovery's exhausted cases of this customer waiting for an officer's decision, by case id (issue 19)."""
    missing: dict[str, str] = field(default_factory=dict)


async def _or_none(missing: dict[str, str], part: str, call: Any) -> Any:
    try:
        return await call
    except ServiceProblem as problem:
        missing[part] = problem.reason
        return None


async def gather_customer(services: Services, customer_id: UUID) -> GatheredView:
    """Billing's customer (a ServiceProblem from billing is raised: without it there is no page) and the rest,
    every part asked at once."""
    missing: dict[str, str] = {}
    customer, recovery, awaiting, moratoria, placements = await asyncio.gather(
        services.billing.customer(customer_id),
        _or_none(missing, "recovery cases", services.recovery.cases_of_customer(customer_id)),
        _or_none(
            missing, "cases awaiting a decision", services.recovery.cases_awaiting_decision(customer_id)
        ),
        _or_none(missing, "breathing space", services.breathing_space.customer_moratoria(customer_id)),
        _or_none(
            missing, "placements with agents", services.agents_gateway.placements_of_customer(customer_id)
        ),
    )
    return GatheredView(
        view=single_view(customer, recovery),
        placements={str(p["referral_id"]): p for p in placements or []},
        moratoria={str(m["moratorium_reference"]): m for m in moratoria or []},
        awaiting_decision={str(c["case_id"]): c for c in (awaiting or {}).get("cases", [])},
        missing=missing,
    )
