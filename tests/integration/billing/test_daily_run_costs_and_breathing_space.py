"""The daily run (instalments falling due, sundry interest and late fees on contractual terms), recovery costs, and breathing
space: interest and fees frozen from the moratorium's start, reversed when the hold arrives late, confirmed
with the hold's version.

These tests use dates in 2023 and 2024, apart from the other billing tests' 2025-2026 debts, because a daily
run works on every debt in the schema."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID, uuid4

from shared.contracts.breathing_space import BreathingSpaceHoldEnded, BreathingSpaceHoldStarted
from shared.contracts.council_systems import InstalmentPlanRequest
from shared.contracts.recovery import CostsReversed, DailyRunRequested, StageAdvanced
from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_sundry_invoice,
    unique,
)


async def raise_and_hear(heard, request):
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return raised.data


async def balance_of(debt_id: str) -> int:
    return await fetch_value("SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", debt_id)


async def daily_run(heard, business_date: date) -> None:
    envelope = await publish(DailyRunRequested(business_date=business_date))
    # The run has finished when billing's inbox holds it.
    for _ in range(400):
        if await fetch_value("SELECT count(*) FROM billing.inbox WHERE event_id = $1", envelope.event_id):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the daily run was not handled")


async def test_instalments_falling_due_are_announced_once_and_only_with_money_owed(heard):
    bill = a_council_tax_bill(
        raised_on=date(2023, 3, 1),
        financial_year="2023/24",
        instalment_plan=InstalmentPlanRequest(instalments=10, first_due_date=date(2023, 4, 1)),
    )
    raised = await raise_and_hear(heard, bill)
    await publish(a_payment(127_56, directed_to=[UUID(raised["debt_id"])], received_on=date(2023, 3, 28)))
    await heard.wait_for("billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"])
    await daily_run(heard, date(2023, 5, 1))
    await daily_run(heard, date(2023, 5, 1))
    due = heard.of_type("billing.instalment.fell_due", lambda d: d["debt_id"] == raised["debt_id"])
    assert [(e.data["instalment_number"], e.data["outstanding_pence"]) for e in due] == [(2, 123_00)]


async def test_recovery_costs_are_added_to_the_debt(heard):
    raised = await raise_and_hear(heard, a_sundry_invoice(raised_on=date(2023, 6, 1)))
    await publish(
        StageAdvanced(
            case_id=uuid4(),
            debt_id=UUID(raised["debt_id"]),
            step_name="summons",
            step_kind="summons",
            taken_on=date(2023, 9, 1),
            costs_added_pence=80_00,
        )
    )
    [costs] = await heard.wait_for("billing.costs.added", lambda d: d["debt_id"] == raised["debt_id"])
    assert costs.data["amount_pence"] == 80_00
    [changed] = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"] and d["cause"] == "costs"
    )
    assert changed.data["balance_pence"] == 330_00


async def test_costs_of_a_step_a_late_breathing_space_made_void_come_off_the_debt(heard):
    raised = await raise_and_hear(heard, a_council_tax_bill())
    debt_id, case_id = UUID(raised["debt_id"]), uuid4()
    before = await balance_of(raised["debt_id"])
    await publish(
        StageAdvanced(
            case_id=case_id,
            debt_id=debt_id,
            step_name="summons",
            step_kind="summons",
            taken_on=date(2023, 9, 1),
            costs_added_pence=80_00,
        )
    )
    await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == raised["debt_id"] and d["cause"] == "costs"
    )
    await publish(
        CostsReversed(
            case_id=case_id,
            debt_id=debt_id,
            amount_pence=80_00,
            reason="breathing space from 2023-08-28",
            reversed_on=date(2023, 9, 10),
            void_steps=["summons"],
        )
    )
    [changed] = await heard.wait_for(
        "billing.balance.changed",
        lambda d: d["debt_id"] == raised["debt_id"] and d["cause"] == "costs_reversal",
    )
    assert changed.data["change_pence"] == -80_00
    assert await balance_of(raised["debt_id"]) == before


async def test_a_late_breathing_space_reverses_interest_and_fees_from_its_start_and_freezes_them_until_it_ends(
    heard,
):
    # Her contract provides for late payment interest and the fee: an individual is charged them only then.
    raised = await raise_and_hear(
        heard,
        a_sundry_invoice(amount_pence=1_000_00, raised_on=date(2024, 1, 1), late_payment_under_contract=True),
    )
    debt_id = raised["debt_id"]
    assert raised["due_date"] == "2024-01-31"

    await daily_run(heard, date(2024, 3, 1))
    # 30 days of 8% interest on £1,000 (£6.58) and the £40 late fee, due 30 days after the due date.
    assert await balance_of(debt_id) == 1_000_00 + 6_58 + 40_00

    reference = unique("BSM")
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=1,
            kind="standard",
            starts_on=date(2024, 2, 15),
            expected_end_on=date(2024, 4, 15),
            customer_ids=[UUID(c) for c in raised["customer_ids"]],
            debt_ids=[UUID(debt_id)],
        )
    )
    [confirmed] = await heard.wait_for(
        "billing.breathing_space_hold.confirmed", lambda d: d["moratorium_reference"] == reference
    )
    assert confirmed.data["hold_version"] == 1
    assert confirmed.data["confirmed_debt_ids"] == [debt_id]
    [reversal] = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == debt_id and d["cause"] == "interest_reversal"
    )
    # Kept: 14 days' interest before the start (£3.07). Reversed: the other 16 days (£3.51) and the fee.
    assert reversal.data["change_pence"] == -(3_51 + 40_00)
    assert await balance_of(debt_id) == 1_000_00 + 3_07

    await daily_run(heard, date(2024, 4, 1))
    assert await balance_of(debt_id) == 1_000_00 + 3_07  # frozen while the moratorium lasts

    await publish(
        BreathingSpaceHoldEnded(
            moratorium_reference=reference,
            hold_version=2,
            how="expired",
            last_protected_day=date(2024, 4, 15),
            debt_ids=[UUID(debt_id)],
        )
    )
    await heard.wait_for(
        "billing.breathing_space_hold.confirmed",
        lambda d: d["moratorium_reference"] == reference and d["hold_version"] == 2,
    )
    await daily_run(heard, date(2024, 5, 1))
    # Interest resumes the day after the last protected day: 16 days (£3.51); the fee is never charged again.
    assert await balance_of(debt_id) == 1_000_00 + 3_07 + 3_51


async def test_a_hold_for_a_debt_billing_does_not_hold_yet_is_kept_and_confirmed(heard):
    reference = unique("BSM")
    unknown = uuid4()
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=3,
            kind="mental_health_crisis",
            starts_on=date(2024, 1, 1),
            expected_end_on=None,
            customer_ids=[],
            debt_ids=[unknown],
        )
    )
    [confirmed] = await heard.wait_for(
        "billing.breathing_space_hold.confirmed", lambda d: d["moratorium_reference"] == reference
    )
    assert confirmed.data["hold_version"] == 3
    assert await fetch_value(
        "SELECT starts_on FROM billing.breathing_space_hold WHERE debt_id = $1", unknown
    ) == date(2024, 1, 1)


async def test_interest_already_paid_and_then_reversed_for_a_late_hold_is_offset_against_other_debts_first(
    heard,
):
    # Dated 2022, before every other test's debts, so no other daily run reaches these.
    person = a_person()
    covered = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, amount_pence=100_00, raised_on=date(2022, 1, 1), late_payment_under_contract=True
        ),
    )
    other = await raise_and_hear(
        heard,
        a_sundry_invoice(
            person, amount_pence=500_00, raised_on=date(2022, 1, 1), due_date=date(2022, 12, 31)
        ),
    )
    await daily_run(heard, date(2022, 3, 2))
    assert await balance_of(covered["debt_id"]) == 100_00 + 66 + 40_00  # 30 days at 8% and the late fee
    payment = a_payment(140_66, directed_to=[UUID(covered["debt_id"])], received_on=date(2022, 3, 3))
    await publish(payment)
    await heard.wait_for("billing.debt.settled", lambda d: d["debt_id"] == covered["debt_id"])

    reference = unique("BSM")
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=1,
            kind="standard",
            starts_on=date(2022, 1, 15),
            expected_end_on=date(2022, 3, 16),
            customer_ids=[UUID(c) for c in covered["customer_ids"]],
            debt_ids=[UUID(covered["debt_id"])],
        )
    )
    await heard.wait_for(
        "billing.breathing_space_hold.confirmed", lambda d: d["moratorium_reference"] == reference
    )
    # The £40.66 reversed was already paid: no refund while £500 is owed elsewhere; it comes off that debt.
    [offset] = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == other["debt_id"] and d["cause"] == "offset"
    )
    assert offset.data["change_pence"] == -40_66
    assert await balance_of(other["debt_id"]) == 500_00 - 40_66
    assert await balance_of(covered["debt_id"]) == 0
    assert not heard.of_type("billing.refund.due", lambda d: d["customer_id"] == covered["customer_ids"][0])
