"""Arrangements to pay: affordable from the Standard Financial Statement, combined across a customer's debts on
request; kept, they pause recovery; a missed instalment makes the whole balance due and recovery resumes."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from shared.contracts.billing import PaymentAllocated, PaymentAllocation
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    a_debt,
    case_row,
    heard_eventually,
    officer_desk,
    raise_debt,
    run_daily,
    steps_of,
)

DUE = date(2026, 5, 1)


def day(n: int) -> date:
    return DUE + timedelta(days=n)


def sfs(case_ids, income: int = 1_500_00, expenditure: int = 1_400_00, first: date = day(40)) -> dict:
    return {
        "case_ids": [str(c) for c in case_ids],
        "monthly_income_pence": income,
        "monthly_expenditure_pence": expenditure,
        "first_instalment_on": first.isoformat(),
    }


async def test_a_kept_arrangement_pauses_recovery_and_a_missed_instalment_resumes_it(recovery, heard):
    debt = a_debt("sundry", due=DUE, amount=300_00)
    case_id = await raise_debt(debt)
    await run_daily(day(1))  # first reminder
    async with officer_desk() as desk:
        answer = await desk.post("/arrangements", json=sfs([case_id]))
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    assert [i["amount_pence"] for i in plan["instalments"]] == [
        100_00,
        100_00,
        100_00,
    ]  # £100 a month surplus
    made = (await heard_eventually(heard, "recovery.arrangement.made", debt_ids=[str(debt.debt_id)]))[0]
    assert made["instalments"] == 3

    # The first instalment is paid on time: nothing happens on the second reminder's date.
    await publish(
        PaymentAllocated(
            payment_id=uuid4(),
            customer_id=debt.customer_ids[0],
            channel="direct_debit",
            channel_reference=f"DD-{uuid4().hex[:8]}",
            amount_pence=100_00,
            received_on=day(40),
            allocations=[PaymentAllocation(debt_id=debt.debt_id, amount_pence=100_00)],
        ),
        producer="billing",
    )
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM recovery.arrangement_payment WHERE debt_id = $1", debt.debt_id
        ),
        lambda n: n == 1,
    )
    await run_daily(day(50))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder"]

    # The second (due 10 July, day 70) is missed: after five days' grace the arrangement has defaulted.
    await run_daily(day(75))
    assert (await case_row(case_id))["arrangement_status"] == "live"
    await run_daily(day(76))
    defaulted = await heard_eventually(heard, "recovery.arrangement.defaulted", debt_ids=[str(debt.debt_id)])
    assert defaulted[0]["defaulted_on"] == day(76).isoformat()
    assert (await case_row(case_id))["arrangement_status"] == "defaulted"
    await run_daily(day(77))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder", "second_reminder"]


async def test_one_arrangement_can_cover_several_of_a_customers_debts(recovery, heard):
    customer = uuid4()
    council_tax = a_debt("council_tax", due=DUE, amount=600_00, customer_ids=[customer])
    sundry = a_debt("sundry", due=DUE, amount=200_00, customer_ids=[customer])
    cases = [await raise_debt(council_tax), await raise_debt(sundry)]
    async with officer_desk() as desk:
        answer = await desk.post(
            "/arrangements", json=sfs(cases, income=2_000_00, expenditure=1_700_00, first=day(10))
        )
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    assert plan["total_pence"] == 800_00
    # Council tax leads, so the plan clears by the end of the financial year (31 March 2027) within £300 a month.
    assert all(i["due_on"] <= "2027-03-31" for i in plan["instalments"])
    made = (
        await heard_eventually(heard, "recovery.arrangement.made", arrangement_id=plan["arrangement_id"])
    )[0]
    assert sorted(made["debt_ids"]) == sorted([str(council_tax.debt_id), str(sundry.debt_id)])
    for case_id in cases:
        assert (await case_row(case_id))["arrangement_status"] == "live"


async def test_an_arrangement_the_debtor_cannot_afford_is_refused_with_the_reason(recovery):
    case_id = await raise_debt(a_debt("sundry", due=DUE, amount=300_00))
    async with officer_desk() as desk:
        answer = await desk.post("/arrangements", json=sfs([case_id], income=1_000_00, expenditure=1_000_00))
    assert answer.status_code == 422
    assert "no surplus" in answer.json()["detail"]
