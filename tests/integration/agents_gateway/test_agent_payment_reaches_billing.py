"""End to end with billing's own runtime: a council tax debt raised by billing is placed with the agent, the
agent's collection comes back in a file, billing posts it and the balance falls; the payment then reconciles."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.agents_gateway.domain.records import PaymentCollected, PlacementAcknowledged
from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress
from shared.contracts.recovery import CaseReferred
from tests.council_bus import database, eventually, fetch_value, publish
from tests.demo_people import unique_surname
from tests.integration.agents_gateway.conftest import AGENT, placed_with_the_agent


@pytest.fixture(scope="module")
async def billing():
    from services.billing.bootstrap import bootstrap

    billing = bootstrap()
    await billing.runtime.start()
    yield billing.runtime
    await billing.runtime.stop()


async def billing_debt(external_reference: str):
    connection = await database()
    try:
        return await connection.fetchrow(
            "SELECT d.debt_id, d.balance_pence, p.customer_id FROM billing.debt d "
            "JOIN billing.debt_party p USING (debt_id) WHERE d.external_reference = $1",
            external_reference,
        )
    finally:
        await connection.close()


async def test_an_agent_collection_reaches_billing_and_the_balance_falls(gateway, billing, http, agent):
    reference = f"CT-{uuid4().hex[:10]}"
    await publish(
        ChargeRequested(
            external_reference=reference,
            requesting_system="revenues",
            originating_service="Revenues",
            debt_type="council_tax",
            amount_pence=900_00,
            liable_parties=[
                LiableParty(
                    kind="person",
                    first_names="Aled",
                    surname=unique_surname("Pryce"),
                    date_of_birth=date(1975, 9, 9),
                    address=PostalAddress(lines=["4 Iron Gate", "Derby"], postcode="DE1 3GP"),
                    references={"council_tax_account": reference},
                )
            ],
            raised_on=date(2026, 4, 1),
            income_code="CT01",
            evidence_reference="annual bill",
            financial_year="2026/27",
        )
    )
    debt = await eventually(
        lambda: billing_debt(reference), lambda row: row is not None and row["balance_pence"] > 0
    )
    assert debt["balance_pence"] == 900_00
    # The gateway learns the debtor from billing's CustomerRegistered.
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.debtor WHERE customer_id = $1", debt["customer_id"]
        ),
        lambda count: count == 1,
    )

    referral = CaseReferred(
        referral_id=uuid4(),
        case_id=uuid4(),
        debt_id=debt["debt_id"],
        customer_ids=[debt["customer_id"]],
        debt_type="council_tax",
        balance_pence=900_00,
        referred_on=date(2026, 6, 1),
        agency_kind="enforcement_agent",
        liability_order_reference="LO-2026-17",
        liability_order_date=date(2026, 5, 20),
    )
    await publish(referral)
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.placement WHERE referral_id = $1", referral.referral_id
        ),
        lambda count: count == 1,
    )
    placement = await placed_with_the_agent(http, agent, referral)
    assert placement.debtor.name.startswith("Aled Pryce-")

    case = str(referral.referral_id)
    payment_reference = f"PAY-{uuid4().hex[:8]}"
    agent.send_returns(
        [
            PlacementAcknowledged(
                case_reference=case, agent_reference="BR-55", acknowledged_on=date(2026, 6, 2)
            ),
            PaymentCollected(
                case_reference=case,
                agent_reference="BR-55",
                payment_reference=payment_reference,
                amount_pence=300_00,
                collected_on=date(2026, 6, 9),
            ),
        ]
    )
    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    assert [f["outcome"] for f in files if f["outcome"] != "duplicate"] == ["applied"]

    after = await eventually(lambda: billing_debt(reference), lambda row: row["balance_pence"] == 600_00)
    assert after["balance_pence"] == 600_00

    # Billing's allocation (channel "agent") comes back to the gateway and reconciles with what the agent said.
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.posted_agent_payment WHERE debt_id = $1", debt["debt_id"]
        ),
        lambda count: count == 1,
    )
    result = (
        await http.get("/reconciliation", params={"as_of": str(date(2026, 6, 9) + timedelta(days=10))})
    ).json()
    assert payment_reference not in {
        p["payment_reference"] for p in result["payments"]["reported_not_posted"]
    }
    assert payment_reference not in {
        p["payment_reference"] for p in result["payments"]["posted_not_reported"]
    }
    assert payment_reference not in {
        m["reported"]["payment_reference"] for m in result["payments"]["mismatched"]
    }
