"""A placed debt's balance changes reach the agent as amendments with the next file."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.billing import BalanceChanged, BalancesChanged, PaymentAllocated, PaymentAllocation
from tests.council_bus import eventually, fetch_value, publish, publish_in_one_burst
from tests.integration.agents_gateway.conftest import AGENT, a_council_tax_referral, placed_with_the_agent


async def amendments_recorded(referral, count: int) -> None:
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.instruction WHERE referral_id = $1 AND kind = 'amendment'",
            referral.referral_id,
        ),
        lambda found: found == count,
    )


def a_council_payment(referral, amount_pence: int, channel: str) -> PaymentAllocated:
    """A payment the council itself received on the referred debt, on 5 June."""
    return PaymentAllocated(
        payment_id=uuid4(),
        customer_id=referral.customer_ids[0],
        channel=channel,
        channel_reference=f"{channel}-{uuid4().hex[:8]}",
        amount_pence=amount_pence,
        received_on=date(2026, 6, 5),
        allocations=[PaymentAllocation(debt_id=referral.debt_id, amount_pence=amount_pence)],
    )


def stated_by_billing(referral, balance: int, moved: int, cause: str, day: int) -> BalancesChanged:
    """One balance change of the referred debt, as billing states it (each from its own posting)."""
    return BalancesChanged(
        changes=[
            BalanceChanged(
                debt_id=referral.debt_id,
                customer_ids=list(referral.customer_ids),
                debt_type="council_tax",
                balance_pence=balance,
                change_pence=moved,
                cause=cause,
                as_of=date(2026, 6, day),
            )
        ]
    )


async def test_costs_added_and_a_payment_to_the_council_are_amendments_for_the_agent(gateway, http, agent):
    referral = await a_council_tax_referral(balance_pence=500_00)
    await placed_with_the_agent(http, agent, referral)
    await publish(stated_by_billing(referral, 560_00, 60_00, "costs", 4))
    await amendments_recorded(referral, 1)  # (queues are not ordered against each other)
    await publish(a_council_payment(referral, 100_00, "card"))
    await amendments_recorded(referral, 2)
    await http.post(f"/agents/{AGENT}/send-now")
    amendments = {a.reason.value: a for a in agent.records_about(str(referral.referral_id), "amendment")}
    assert amendments["balance_change"].change_pence == 60_00
    assert amendments["balance_change"].new_balance_pence == 560_00
    assert amendments["payment_received_by_council"].change_pence == -100_00
    assert amendments["payment_received_by_council"].new_balance_pence == 460_00


async def test_balance_changes_in_quick_succession_leave_the_last_balance_and_an_amendment_for_each_that_moved_it(
    gateway, http, agent
):
    referral = await a_council_tax_referral(balance_pence=500_00)
    await placed_with_the_agent(http, agent, referral)

    await publish_in_one_burst(
        [
            stated_by_billing(referral, 560_00, 60_00, "costs", 4),
            stated_by_billing(referral, 560_00, 0, "interest", 5),
            stated_by_billing(
                referral, 460_00, -100_00, "payment", 6
            ),  # told by the payment's own amendment, not this one
            stated_by_billing(referral, 475_00, 15_00, "costs", 7),
        ],
        producer="billing",
    )
    await amendments_recorded(referral, 2)
    await eventually(
        lambda: fetch_value(
            "SELECT balance_pence FROM agents_gateway.placement WHERE referral_id = $1", referral.referral_id
        ),
        lambda balance: balance == 475_00,
    )
    await http.post(f"/agents/{AGENT}/send-now")
    amendments = agent.records_about(str(referral.referral_id), "amendment")
    assert [(a.change_pence, a.new_balance_pence, a.amended_on) for a in amendments] == [
        (60_00, 560_00, date(2026, 6, 4)),
        (15_00, 475_00, date(2026, 6, 7)),
    ]


async def test_a_council_payment_restated_by_billing_before_it_arrives_lowers_the_balance_once(
    gateway, http, agent
):
    referral = await a_council_tax_referral(balance_pence=500_00)
    await placed_with_the_agent(http, agent, referral)
    # Billing's balance change for the payment reaches the gateway first (another queue) ...
    await publish(stated_by_billing(referral, 380_00, -120_00, "payment", 5))
    await eventually(
        lambda: fetch_value(
            "SELECT balance_pence FROM agents_gateway.placement WHERE referral_id = $1", referral.referral_id
        ),
        lambda balance: balance == 380_00,
    )
    # ... then the payment itself: the agent is told of it, with the true balance, and it is not taken off twice.
    await publish(a_council_payment(referral, 120_00, "bank_transfer"))
    await amendments_recorded(referral, 1)
    assert (
        await fetch_value(
            "SELECT balance_pence FROM agents_gateway.placement WHERE referral_id = $1", referral.referral_id
        )
        == 380_00
    )
    await http.post(f"/agents/{AGENT}/send-now")
    [amendment] = agent.records_about(str(referral.referral_id), "amendment")
    assert amendment.reason.value == "payment_received_by_council"
    assert (amendment.change_pence, amendment.new_balance_pence) == (-120_00, 380_00)
