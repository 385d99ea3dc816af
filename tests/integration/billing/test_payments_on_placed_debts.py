"""A debt placed with an enforcement agent: the council's own undirected money pays the customer's other debts
first; money the council takes for the placed debt itself is applied and reported, so the agent is told."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID, uuid4

from shared.contracts.agents_gateway import CaseReturnedByAgent, PlacementAcknowledged
from shared.contracts.recovery import CaseReferred
from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import a_payment, a_person, a_sundry_invoice, unique
from tests.integration.billing.test_customers_and_matching import raise_and_hear


async def place(debt: dict, agent: str) -> UUID:
    referral_id = uuid4()
    await publish(
        CaseReferred(
            referral_id=referral_id,
            case_id=uuid4(),
            debt_id=UUID(debt["debt_id"]),
            customer_ids=[UUID(c) for c in debt["customer_ids"]],
            debt_type=debt["debt_type"],
            balance_pence=debt["amount_pence"],
            referred_on=date(2026, 5, 1),
            agency_kind="collection_agency",
        )
    )
    await publish(
        PlacementAcknowledged(
            referral_id=referral_id,
            debt_id=UUID(debt["debt_id"]),
            agent=agent,
            agent_reference=unique("AG"),
            acknowledged_on=date(2026, 5, 2),
        )
    )
    await until_billing_holds(
        "SELECT count(*) FROM billing.placement WHERE debt_id::text = $1 AND agent IS NOT NULL",
        debt["debt_id"],
    )
    return referral_id


async def until_billing_holds(sql: str, debt_id: str) -> None:
    """Billing hears placements through its inbox: wait until its projection holds what was published."""
    for _ in range(200):
        if await fetch_value(sql, debt_id):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"billing never recorded it: {sql}")


async def paid(heard, payment) -> list:
    await publish(payment)
    [allocated] = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == payment.channel_reference
    )
    return allocated.data["allocations"]


async def test_council_money_goes_to_the_other_debts_first_and_money_for_the_placed_debt_is_reported(
    billing, heard
):
    person = a_person()
    placed = await raise_and_hear(heard, a_sundry_invoice(person, amount_pence=300_00))
    other = await raise_and_hear(
        heard, a_sundry_invoice(person, amount_pence=100_00, raised_on=date(2026, 4, 20))
    )
    await place(placed, "Marston Holdings")
    undirected = a_payment(150_00, customer_id=UUID(placed["customer_ids"][0]))
    allocations = await paid(heard, undirected)
    by_debt = {a["debt_id"]: a["amount_pence"] for a in allocations}
    assert by_debt == {other["debt_id"]: 100_00, placed["debt_id"]: 50_00}  # the rest, not a refund
    [reported] = await heard.wait_for(
        "billing.payment.received_on_placed_debt",
        lambda d: d["channel_reference"] == undirected.channel_reference,
    )
    assert (reported.data["debt_id"], reported.data["agent"], reported.data["amount_pence"]) == (
        placed["debt_id"],
        "Marston Holdings",
        50_00,
    )

    directed = a_payment(40_00, directed_to=[UUID(placed["debt_id"])])
    assert [a["debt_id"] for a in await paid(heard, directed)] == [placed["debt_id"]]
    await heard.wait_for(
        "billing.payment.received_on_placed_debt",
        lambda d: d["channel_reference"] == directed.channel_reference and d["amount_pence"] == 40_00,
    )


async def test_once_the_agent_returns_the_case_council_money_reaches_it_as_any_debt_and_nothing_is_reported(
    billing, heard
):
    person = a_person()
    placed = await raise_and_hear(heard, a_sundry_invoice(person, amount_pence=80_00))
    await place(placed, "Bristow & Sutor")
    await publish(
        CaseReturnedByAgent(
            referral_id=None,
            debt_id=UUID(placed["debt_id"]),
            agent="Bristow & Sutor",
            reason="gone away",
            returned_on=date(2026, 6, 1),
        )
    )
    await until_billing_holds(
        "SELECT count(*) FROM billing.placement WHERE debt_id::text = $1 AND ended_on IS NOT NULL",
        placed["debt_id"],
    )
    payment = a_payment(80_00, customer_id=UUID(placed["customer_ids"][0]))
    assert [a["debt_id"] for a in await paid(heard, payment)] == [placed["debt_id"]]
    assert not heard.of_type(
        "billing.payment.received_on_placed_debt",
        lambda d: d["channel_reference"] == payment.channel_reference,
    )
