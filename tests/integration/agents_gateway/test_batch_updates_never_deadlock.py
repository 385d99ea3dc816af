"""Batch updates lock their rows in one fixed order (by key), so two overlapping batches running at the same time
wait for each other instead of deadlocking (issue 14: the gateway logged PostgreSQL deadlocks on them)."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID, uuid4

from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.placements import Placement

ROWS = 200
ROUNDS = 25


async def _placements(gateway, count: int) -> list[UUID]:
    ids = [uuid4() for _ in range(count)]
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        for referral_id in ids:
            await handling.stores.placements.add(
                Placement(
                    referral_id=referral_id,
                    case_reference=str(referral_id),
                    case_id=uuid4(),
                    debt_id=uuid4(),
                    customer_ids=[uuid4()],
                    agent_code="BRISTOW",
                    debt_type="council_tax",
                    agency_kind="enforcement_agent",
                    balance_pence=100_00,
                    referred_on=date(2026, 6, 1),
                    status="sent",
                )
            )
    return ids


async def _balances(gateway, ids: list[UUID], balance: int, started: asyncio.Event) -> None:
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        await handling.stores.placements.set_balances(dict.fromkeys(ids, balance), {})
        started.set()
        # Hold the locks a moment so the other batch runs into them while this one still works.
        await asyncio.sleep(0.01)
        await handling.stores.placements.set_stages(ids[::-1], ["enforcement"] * len(ids))


async def test_two_overlapping_batches_run_at_once_many_times_without_a_deadlock(gateway):
    ids = await _placements(gateway, ROWS)
    for round_number in range(ROUNDS):
        # The same rows, one batch in ascending and the other in descending order: without a fixed locking
        # order each takes its first rows and waits for the other's.
        first, second = asyncio.Event(), asyncio.Event()
        await asyncio.gather(
            _balances(gateway, ids, round_number, first),
            _balances(gateway, ids[::-1], round_number + 1000, second),
        )
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        placement = await handling.stores.placements.get(ids[0])
    assert placement is not None
    assert placement.balance_pence in {ROUNDS - 1, ROUNDS - 1 + 1000}
