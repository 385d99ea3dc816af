"""Money an agent collects reaches the council's books: recovery refers an unpaid debt to an agent, the agents
gateway places it over SFTP, the agent acknowledges the case and later reports a payment in a signed, encrypted
return file, and billing's balance falls by what was collected.

Billing, recovery and the agents gateway run as real processes; the agents are the simulator on SFTP servers in
the test, with OpenPGP keys generated for the test.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.agents_gateway.domain.records import PaymentCollected, PlacementAcknowledged
from tests.council_bus import eventually
from tests.e2e.council_services import CouncilServices, RunningService, row
from tests.e2e.residents import a_charge, a_resident, case_record, raised, steps_taken
from tests.e2e.the_agent import AgentOnTheOtherSide, agent_returns, gateway_environment, placed_with


@pytest.fixture(scope="module")
async def bristow():
    agent = await AgentOnTheOtherSide(
        "BRISTOWPAY", "Bristow Enforcement", "enforcement_agent", ["council_tax", "business_rates"]
    ).open()
    yield agent
    await agent.close()


@pytest.fixture(scope="module")
async def collectco():
    agent = await AgentOnTheOtherSide(
        "CCPAYMENT", "CollectCo Recoveries", "collection_agency", ["housing_benefit_overpayment", "sundry"]
    ).open()
    yield agent
    await agent.close()


@pytest.fixture(scope="module")
async def council(bristow, collectco):
    services = CouncilServices(
        RunningService("billing", http=True),
        RunningService("recovery", http=True),
        RunningService("agents_gateway", http=True, **gateway_environment(bristow, collectco)),
    )
    try:
        yield await services.start()
    finally:
        services.stop()


async def billing_balance(council: CouncilServices, debt_id: Any) -> int:
    async with council["billing"].client() as billing:
        response = await billing.get(f"/debts/{debt_id}")
    assert response.status_code == 200, response.text
    return response.json()["balance_pence"]


async def acknowledged_then_paid(
    council: CouncilServices,
    agent: AgentOnTheOtherSide,
    debt: dict[str, Any],
    case: str,
    on: date,
    pence: int,
) -> None:
    """The agent acknowledges the case, and a week later reports money collected."""
    await agent_returns(
        council,
        agent,
        [PlacementAcknowledged(case_reference=case, agent_reference=f"{agent.code}-1", acknowledged_on=on)],
    )
    await eventually(
        lambda: row("SELECT status FROM agents_gateway.placement WHERE case_reference = $1", case),
        lambda found: found["status"] == "acknowledged",
    )
    await agent_returns(
        council,
        agent,
        [
            PaymentCollected(
                case_reference=case,
                agent_reference=f"{agent.code}-1",
                payment_reference=f"PAY-{uuid4().hex[:8]}",
                amount_pence=pence,
                collected_on=on + timedelta(days=7),
            )
        ],
    )


async def test_a_payment_the_collection_agency_collects_reduces_the_balance(council, collectco):
    """Derby's housing benefit overpayment timetable ends with a collection agency; £125 it collects comes
    off the overpayment billing holds."""
    due = date(2026, 5, 1)
    overpayment = await raised(
        a_charge(
            a_resident(), "housing_benefit_overpayment", 630_40, raised_on=date(2026, 4, 1), due_date=due
        )
    )
    # The daily run on the due date finds it unpaid; the reminder 14 days later, the second 7 days after that,
    # the final notice 7 days after that, and the collection agency 14 days after the final notice.
    for n in (0, 14, 21, 28, 42):
        await council.daily_run(due + timedelta(days=n))
    assert [s[0] for s in await steps_taken(overpayment["case_id"])] == [
        "first_reminder",
        "second_reminder",
        "final_notice",
        "collection_agents",
    ], await case_record(overpayment["case_id"])
    case = await placed_with(council, collectco, overpayment)
    await acknowledged_then_paid(council, collectco, overpayment, case, due + timedelta(days=43), 125_00)

    balance = await eventually(
        lambda: billing_balance(council, overpayment["debt_id"]), lambda pence: pence != 630_40
    )
    assert balance == 630_40 - 125_00


async def test_a_payment_the_enforcement_agent_collects_reduces_the_council_tax_owed(council, bristow):
    """Derby's council tax timetable ends with an enforcement agent after the liability order; £250 it collects
    comes off the bill and costs billing holds."""
    due = date(2026, 4, 1)
    bill = await raised(
        a_charge(a_resident(), "council_tax", 1_450_00, raised_on=date(2026, 3, 10), due_date=due)
    )
    # Unpaid on its due date; reminder at due+30, summons 14 days later (£80 costs); the magistrates grant the
    # liability order at the hearing on day 65 (£40 costs), which an officer records: nothing follows the
    # summons until then. Its notice once the order's 14 days have passed, the enforcement agent 21 days later.
    for n in (0, 30, 44, 65):
        await council.daily_run(due + timedelta(days=n))
    await council.court_grants(bill["case_id"], due + timedelta(days=65))
    for n in (66, 78, 79, 100):
        await council.daily_run(due + timedelta(days=n))
    assert [s[0] for s in await steps_taken(bill["case_id"])] == [
        "first_reminder",
        "summons",
        "liability_order",
        "notice_of_liability_order",
        "enforcement_agent",
    ], await case_record(bill["case_id"])
    owed = 1_450_00 + 80_00 + 40_00
    assert await eventually(lambda: billing_balance(council, bill["debt_id"]), lambda pence: pence == owed)
    case = await placed_with(council, bristow, bill)
    [placed] = bristow.agent.records_about(case, "placement")
    assert placed.debts[0].liability_order is not None
    await acknowledged_then_paid(council, bristow, bill, case, due + timedelta(days=101), 250_00)

    balance = await eventually(lambda: billing_balance(council, bill["debt_id"]), lambda pence: pence != owed)
    assert balance == owed - 250_00
