"""Each late payment charge is stored with the rule that made it (issue 19), shown with it in the customer's
single view and announced with it on billing.costs.added: a business's statutory interest with the reference
day and the base rate in force on it, its fixed sum with the band; an individual's charges on her contract.

Dated 2020, before every other test's debts, so this daily run reaches no other test's debts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.council_bus import database
from tests.identity import officer_headers
from tests.integration.billing.council_systems import a_person, a_sundry_invoice, an_organisation
from tests.integration.billing.desk import officer_desk
from tests.integration.billing.test_daily_run_costs_and_breathing_space import (
    balance_of,
    daily_run,
    raise_and_hear,
)

CHARGES = """
    SELECT p.kind, p.amount_pence, p.late_payment_basis, p.annual_interest_percent, p.reference_day,
           p.base_rate_percent, p.fixed_sum_band, l.kind AS line_kind, l.amount_pence AS line_pence
    FROM billing.posting p JOIN billing.debt_line l ON l.debt_id = p.debt_id AND l.number = p.line_number
    WHERE p.debt_id::text = $1 AND p.kind IN ('interest', 'late_fee') ORDER BY p.kind
"""


async def stored_charges(debt_id: str) -> list[dict]:
    connection = await database()
    try:
        return [dict(row) for row in await connection.fetch(CHARGES, debt_id)]
    finally:
        await connection.close()


async def test_each_late_payment_charge_is_stored_shown_and_announced_with_its_basis(billing, heard):
    business = await raise_and_hear(
        heard, a_sundry_invoice(an_organisation(), amount_pence=12_000_00, raised_on=date(2020, 7, 1))
    )
    individual = await raise_and_hear(
        heard,
        a_sundry_invoice(
            a_person(), amount_pence=1_450_00, raised_on=date(2020, 7, 1), late_payment_under_contract=True
        ),
    )
    assert business["due_date"] == "2020-07-31"

    await daily_run(heard, date(2020, 8, 30))

    # The Act: 1-30 August at 8.10% (the base rate on 30 June 2020, 0.10%, + 8%) on £12,000: £79.89; the fixed
    # sum for a debt of £10,000 or more: £100.
    assert await balance_of(business["debt_id"]) == 12_000_00 + 79_89 + 100_00
    assert await stored_charges(business["debt_id"]) == [
        {
            "kind": "interest",
            "amount_pence": 79_89,
            "late_payment_basis": "late_payment_act",
            "annual_interest_percent": Decimal("8.10"),
            "reference_day": date(2020, 6, 30),
            "base_rate_percent": Decimal("0.10"),
            "fixed_sum_band": None,
            "line_kind": "interest",
            "line_pence": 79_89,
        },
        {
            "kind": "late_fee",
            "amount_pence": 100_00,
            "late_payment_basis": "late_payment_act",
            "annual_interest_percent": Decimal("0"),
            "reference_day": None,
            "base_rate_percent": None,
            "fixed_sum_band": "10000_or_more",
            "line_kind": "late_fee",
            "line_pence": 100_00,
        },
    ]
    # Her contract: the council's contractual 8% for 30 days on £1,450 (£9.53) and its £40 fee after 30 days.
    assert [
        (c["kind"], c["amount_pence"], c["late_payment_basis"], c["reference_day"], c["fixed_sum_band"])
        for c in await stored_charges(individual["debt_id"])
    ] == [("interest", 9_53, "contract", None, None), ("late_fee", 40_00, "contract", None, None)]

    announced = heard.of_type("billing.costs.added", lambda d: d["debt_id"] == business["debt_id"])
    assert sorted(
        (
            e.data["kind"],
            e.data["late_payment_basis"],
            e.data["annual_interest_percent"],
            e.data["reference_day"],
            e.data["base_rate_percent"],
            e.data["fixed_sum_band"],
        )
        for e in announced
    ) == [
        ("interest", "late_payment_act", "8.10", "2020-06-30", "0.10", None),
        ("late_fee", "late_payment_act", None, None, None, "10000_or_more"),
    ]

    async with officer_desk(billing, officer_headers("revenues.officer")) as client:
        view = (await client.get(f"/customers/{business['customer_ids'][0]}")).json()
    [debt] = [d for d in view["debts"] if d["debt_id"] == business["debt_id"]]
    assert sorted(
        (
            c["kind"],
            c["amount_pence"],
            c["late_payment_basis"],
            c["annual_interest_percent"],
            c["reference_day"],
            c["base_rate_percent"],
            c["fixed_sum_band"],
        )
        for c in debt["added_charges"]
    ) == [
        ("interest", 79_89, "late_payment_act", "8.10", "2020-06-30", "0.10", None),
        ("late_fee", 100_00, "late_payment_act", None, None, None, "10000_or_more"),
    ]
