"""The single view gathered from the services that own each part: billing (the customer, debts, instalments,
payments, allocations, holds, write-offs), recovery (cases, records, letters, holds, arrangements, contacts),
the agents gateway (each placement's standing) and breathing space (the customer's moratoria, by billing's
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
    moratoria: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Breathing space's moratoria of the customer by reference, newest start first."""
    missing: dict[str, str] = field(default_factory=dict)


async def _or_none(missing: dict[str, str], part: str, call: Any) -> Any:
    try:
        return await call
    except ServiceProblem as problem:
        missing[part] = problem.reason
        return None


async def gather_customer(services: Services, customer_id: UUID) -> GatheredView:
    """Billing's customer (a ServiceProblem from billing is raised: without it there is no page) and the rest."""
    missing: dict[str, str] = {}
    customer, recovery, moratoria = await asyncio.gather(
        services.billing.customer(customer_id),
        _or_none(missing, "recovery cases", services.recovery.cases_of_customer(customer_id)),
        _or_none(missing, "breathing space", services.breathing_space.customer_moratoria(customer_id)),
    )
    view = single_view(customer, recovery)
    referral_ids = sorted(
        {
            str(r["referral_id"])
            for case in view.cases
            for r in case.get("referrals", [])
            if r.get("referral_id")
        }
    )
    placements = await asyncio.gather(
        *(
            _or_none(missing, "placements with agents", services.agents_gateway.placement(UUID(r)))
            for r in referral_ids
        )
    )
    return GatheredView(
        view=view,
        placements={r: p for r, p in zip(referral_ids, placements, strict=True) if p is not None},
        moratoria={str(m["moratorium_reference"]): m for m in moratoria or []},
        missing=missing,
    )
