"""The daily run charges the Late Payment of Commercial Debts (Interest) Act 1998 only to business debtors:
statutory interest at the reference rate + 8% and the fixed sum by the debt's size, once; an individual only
the council's contractual terms, and only where the charge's contract provides them.

Dated 2021, before every other test's debts, so this daily run reaches no other test's debts."""

from __future__ import annotations

from datetime import date

from tests.council_bus import fetch_value
from tests.integration.billing.council_systems import a_person, a_sundry_invoice, an_organisation
from tests.integration.billing.test_daily_run_costs_and_breathing_space import (
    balance_of,
    daily_run,
    raise_and_hear,
)


async def test_a_business_pays_statutory_interest_and_the_fixed_sum_once_an_individual_only_by_contract(
    heard,
):
    business = await raise_and_hear(
        heard, a_sundry_invoice(an_organisation(), amount_pence=1_450_00, raised_on=date(2021, 1, 1))
    )
    individual = await raise_and_hear(
        heard, a_sundry_invoice(a_person(), amount_pence=1_450_00, raised_on=date(2021, 1, 1))
    )
    under_contract = await raise_and_hear(
        heard,
        a_sundry_invoice(
            a_person(), amount_pence=1_450_00, raised_on=date(2021, 1, 1), late_payment_under_contract=True
        ),
    )
    assert business["due_date"] == "2021-01-31"

    await daily_run(heard, date(2021, 3, 2))
    await daily_run(heard, date(2021, 3, 2))

    # 30 days at 8.10% (the base rate on 31 December 2020, 0.10%, + 8%) on £1,450: £9.65; fixed sum £70.
    assert await balance_of(business["debt_id"]) == 1_450_00 + 9_65 + 70_00
    assert await balance_of(individual["debt_id"]) == 1_450_00
    # Her contract provides: the council's contractual 8% (30 days on £1,450: £9.53) and £40 after 30 days.
    assert await balance_of(under_contract["debt_id"]) == 1_450_00 + 9_53 + 40_00
    rate = await fetch_value(
        "SELECT annual_interest_percent FROM billing.posting WHERE debt_id::text = $1 AND kind = 'interest'",
        business["debt_id"],
    )
    assert str(rate) == "8.10"
    fees = heard.of_type(
        "billing.costs.added", lambda d: d["debt_id"] == business["debt_id"] and d["kind"] == "late_fee"
    )
    assert [f.data["amount_pence"] for f in fees] == [70_00]

    await daily_run(heard, date(2021, 4, 1))
    # Interest goes on (30 more days, £9.65); the fixed sum is never charged twice.
    assert await balance_of(business["debt_id"]) == 1_450_00 + 9_65 + 9_65 + 70_00
