"""Debts raised by billing go through their council's timetable as the daily run is requested for successive
business dates: letters, costs, the agent referral and, when recovery is exhausted, the write-off request."""

from __future__ import annotations

from datetime import date, timedelta

from shared.contracts.billing import InstalmentDue, InstalmentFellDue
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    a_debt,
    case_row,
    heard_eventually,
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
    # (costs £80), liability order 21 days later (costs £40), its notice once the 14 days the order's letter gave
    # have passed, agents 21 days after that.
    for n in (30, 44, 65, 66, 78, 79, 100):
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
    assert referral["liability_order_reference"] == f"LO-{debt.external_reference}-{day(65):%Y%m%d}"

    # Six months with the agents and nothing paid: recovery is exhausted and asks for the write-off.
    await run_daily(day(100 + 179))
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    await run_daily(day(100 + 180))
    request = (await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id))[0]
    assert request["amount_pence"] == 1_320_00
    assert request["income_code"] == "CTAX"
    assert request["reason_code"] == "uneconomic_to_pursue"
    assert any("enforcement_agent" in line for line in request["evidence"])
    assert (await case_row(case_id))["status"] == "write_off_requested"


async def test_council_tax_paying_the_first_and_second_reminders_gets_a_final_notice_only_on_its_third_default(
    recovery, heard
):
    instalments = [
        InstalmentDue(number=n, due_date=date(2026, 4 + n, 1), amount_pence=100_00) for n in range(1, 4)
    ]
    debt = a_debt("council_tax", due=date(2026, 5, 1), amount=300_00, instalments=instalments)
    case_id = await raise_debt(debt)

    await run_daily(date(2026, 6, 15))  # no instalment has been missed yet: nothing to do
    assert await steps_of(case_id) == []

    async def default(number: int) -> None:
        due = instalments[number - 1].due_date
        await publish(
            InstalmentFellDue(
                debt_id=debt.debt_id, instalment_number=number, due_date=due, outstanding_pence=100_00
            )
        )
        await eventually(lambda: case_row(case_id), lambda row: number in row["defaulted_instalments"])

    await default(1)  # first default, due 1 May: reminder 30 days later
    await run_daily(date(2026, 5, 31))
    await default(2)  # paid the reminder, then missed June's: second reminder 45 days after 1 June
    await run_daily(date(2026, 7, 16))
    await default(3)  # missed July's too: the third default brings the final notice 30 days after 1 July
    await run_daily(date(2026, 7, 31))

    assert await steps_of(case_id) == [
        ("first_reminder", date(2026, 5, 31), False),
        ("second_reminder", date(2026, 7, 16), False),
        ("final_notice", date(2026, 7, 31), False),
    ]
