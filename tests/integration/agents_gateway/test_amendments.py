"""A placed debt's balance changes reach the agent as amendments with the next file."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.billing import BalanceChanged, PaymentAllocated, PaymentAllocation
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.agents_gateway.conftest import AGENT, a_council_tax_referral, placed_with_the_agent


async def amendments_recorded(referral, count: int) -> None:
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.instruction WHERE referral_id = $1 AND kind = 'amendment'",
            referral.referral_id,
        ),
        lambda found: found == count,
    )


async def test_costs_added_and_a_payment_to_the_council_are_amendments_for_the_agent(gateway, http, agent):
    referral = await a_council_tax_referral(balance_pence=500_00)
    await placed_with_the_agent(http, agent, referral)
    await publish(
        BalanceChanged(
            debt_id=referral.debt_id,
            customer_ids=list(referral.customer_ids),
            debt_type="council_tax",
            balance_pence=560_00,
            change_pence=60_00,
            cause="costs",
            as_of=date(2026, 6, 4),
        )
    )
    await amendments_recorded(referral, 1)  # (queues are not ordered against each other)
    await publish(
        PaymentAllocated(
            payment_id=uuid4(),
            customer_id=referral.customer_ids[0],
            channel="card",
            channel_reference=f"CARD-{uuid4().hex[:8]}",
            amount_pence=100_00,
            received_on=date(2026, 6, 5),
            allocations=[PaymentAllocation(debt_id=referral.debt_id, amount_pence=100_00)],
        )
    )
    await amendments_recorded(referral, 2)
    await http.post(f"/agents/{AGENT}/send-now")
    amendments = {a.reason.value: a for a in agent.records_about(str(referral.referral_id), "amendment")}
    assert amendments["balance_change"].change_pence == 60_00
    assert amendments["balance_change"].new_balance_pence == 560_00
    assert amendments["payment_received_by_council"].change_pence == -100_00
    assert amendments["payment_received_by_council"].new_balance_pence == 460_00
