"""Debts raised by billing go through their council's timetable as the daily run is requested for successive
business dates: letters, costs, the agent referral and, when recovery is exhausted, the officer's decision to ask
for the write-off (issue 19)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from shared.contracts.billing import InstalmentDue, PaymentAllocated, PaymentAllocation
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    a_debt,
    case_row,
    court_grants,
    heard_eventually,
    officer_desk,
    raise_debt,
    run_daily,
    steps_of,
)

DUE = date(2026, 5, 1)


def day(n: int) -> date:
    return DUE + timedelta(days=n)


async def test_a_derby_sundry_invoice_unpaid_gets_reminders_at_due_plus_1_and_31_and_a_final_notice_at_61(
    recovery, heard
):
    debt = a_debt("sundry", due=DUE)
    case_id = await raise_debt(debt)

    await run_daily(DUE)  # nothing is due on the due date itself
    assert await steps_of(case_id) == []
    for n in (1, 30, 31, 60, 61):
        await run_daily(day(n))

    assert await steps_of(case_id) == [
        ("first_reminder", day(1), False),
        ("second_reminder", day(31), False),
        ("final_notice", day(61), False),
    ]
    notices = await heard_eventually(heard, "recovery.notice.issued", 3, case_id=case_id)
    assert [n["step_name"] for n in notices] == ["first_reminder", "second_reminder", "final_notice"]
    assert all("£250.00" in n["letter_text"] for n in notices)
    assert await fetch_value("SELECT count(*) FROM recovery.notice WHERE case_id = $1", case_id) == 3


async def test_a_rerun_of_the_same_business_date_does_nothing_more(recovery, heard):
    debt = a_debt("sundry", due=DUE)
    case_id = await raise_debt(debt)
    await run_daily(day(1))
    await run_daily(day(1))
    await run_daily(day(1))

    assert await steps_of(case_id) == [("first_reminder", day(1), False)]
    await heard_eventually(heard, "recovery.notice.issued", case_id=case_id)
    assert await fetch_value("SELECT count(*) FROM recovery.notice WHERE case_id = $1", case_id) == 1
    assert len(heard.about("recovery.stage.advanced", case_id=case_id)) == 1


async def test_unpaid_council_tax_goes_to_summons_liability_order_an_enforcement_agent_and_then_write_off(
    recovery, heard
):
    debt = a_debt("council_tax", due=DUE, amount=1_200_00, income_code="CTAX")
    case_id = await raise_debt(debt)

    # Derby: reminder at due+30; with one default, no second reminder or final notice; summons 14 days later
    # (costs £80). The court grants the liability order at the hearing on day 65 with £40 costs (an officer
    # records it: the timetable never makes an order); its notice once the 14 days the order's letter gave have
    # passed, agents 21 days after that.
    for n in (30, 44):
        await run_daily(day(n))
    await court_grants(case_id, day(65))
    for n in (66, 78, 79, 100):
        await run_daily(day(n))
    assert [s[0] for s in await steps_of(case_id)] == [
        "first_reminder",
        "summons",
        "liability_order",
        "notice_of_liability_order",
        "enforcement_agent",
    ]
    summons = (
        await heard_eventually(heard, "recovery.stage.advanced", case_id=case_id, step_name="summons")
    )[0]
    assert summons["costs_added_pence"] == 80_00
    order = (
        await heard_eventually(heard, "recovery.stage.advanced", case_id=case_id, step_name="liability_order")
    )[0]
    assert order["costs_added_pence"] == 40_00
    assert "attachment_of_earnings" in order["enforcement_options_opened"]

    referral = (await heard_eventually(heard, "recovery.case.referred", case_id=case_id))[0]
    assert referral["agency_kind"] == "enforcement_agent"
    assert referral["balance_pence"] == 1_200_00 + 80_00 + 40_00
    assert referral["liability_order_date"] == day(65).isoformat()
    assert referral["liability_order_reference"] == f"DMC-{case_id.hex[:8]}"  # the court's, never invented

    # Six months with the agents and nothing paid: the timetable reaches its write-off point and waits for an
    # officer's decision (issue 19: no write-off request by itself); the officer asks for it, with the reason.
    await run_daily(day(100 + 179))
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    await run_daily(day(100 + 180))
    assert (await case_row(case_id))["awaiting_decision_since"] == day(100 + 180)
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    async with officer_desk() as desk:
        decided = await desk.post(
            f"/cases/{case_id}/exhausted-decision",
            json={
                "decision": "write_off",
                "write_off_reason": "uneconomic_to_pursue",
                "notes": "six months with the agents, nothing paid",
            },
        )
    assert decided.status_code == 201, decided.text
    request = (await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id))[0]
    assert request["amount_pence"] == 1_320_00
    assert request["income_code"] == "CTAX"
    assert request["reason_code"] == "uneconomic_to_pursue"
    assert any("enforcement_agent" in line for line in request["evidence"])
    assert (await case_row(case_id))["status"] == "write_off_requested"


async def test_council_tax_paying_the_first_and_second_reminders_gets_a_final_notice_on_the_next_default(
    recovery, heard
):
    # Changed with issue 12: the steps follow the instalments and payments billing reports (CT reg 23), not a
    # count of instalment-due events. Five instalments of £100 from 1 May.
    instalments = [
        InstalmentDue(number=n, due_date=date(2026, 4 + n, 1), amount_pence=100_00) for n in range(1, 6)
    ]
    debt = a_debt("council_tax", due=date(2026, 5, 1), amount=500_00, instalments=instalments)
    case_id = await raise_debt(debt)

    await run_daily(date(2026, 5, 30))  # May's instalment is late, but Derby's point is 30 days after it
    assert await steps_of(case_id) == []

    async def pays(on: date, amount: int) -> None:
        await publish(
            PaymentAllocated(
                payment_id=uuid4(),
                customer_id=debt.customer_ids[0],
                channel="card",
                channel_reference=uuid4().hex,
                amount_pence=amount,
                received_on=on,
                allocations=[PaymentAllocation(debt_id=debt.debt_id, amount_pence=amount)],
            ),
            producer="billing",
        )
        await eventually(
            lambda: fetch_value(
                "SELECT coalesce(sum(amount_pence), 0) FROM recovery.instalment_payment WHERE debt_id = $1 "
                "AND paid_on = $2",
                debt.debt_id,
                on,
            ),
            lambda paid: paid == amount,
        )

    await run_daily(
        date(2026, 5, 31)
    )  # reminder for May's instalment, asking for May and June's (due by 6 June)
    await pays(date(2026, 6, 3), 200_00)  # paid within its 7 days: the instalments carry on
    await run_daily(
        date(2026, 8, 15)
    )  # July's missed: second reminder 45 days after 1 July, for July and August
    await pays(date(2026, 8, 17), 200_00)
    await run_daily(date(2026, 9, 30))
    await run_daily(date(2026, 10, 1))  # September's missed after two reminders: a final notice, not a third
    await run_daily(date(2026, 10, 7))  # the final notice's 7 days: no summons yet

    assert await steps_of(case_id) == [
        ("first_reminder", date(2026, 5, 31), False),
        ("second_reminder", date(2026, 8, 15), False),
        ("final_notice", date(2026, 10, 1), False),
    ]
    notices = heard.about("recovery.notice.issued", case_id=case_id)
    assert [n["amount_pence"] for n in notices] == [200_00, 200_00, 100_00]
