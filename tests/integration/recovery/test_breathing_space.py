"""Breathing space counts from the moratorium's start, however late the council hears of it: steps taken on or
after the start are void, referrals are recalled at once, and recovery resumes where it paused when it ends."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import (
    a_debt,
    case_row,
    court_grants,
    heard_eventually,
    raise_debt,
    run_daily,
    steps_of,
)

DUE = date(2026, 5, 1)


def day(n: int) -> date:
    return DUE + timedelta(days=n)


def a_moratorium(debt_ids, starts_on: date, version: int = 1) -> BreathingSpaceHoldStarted:
    return BreathingSpaceHoldStarted(
        moratorium_reference=f"BS-{uuid4().hex[:8]}",
        hold_version=version,
        kind="standard",
        starts_on=starts_on,
        expected_end_on=starts_on + timedelta(days=60),
        customer_ids=[uuid4()],
        debt_ids=debt_ids,
    )


async def test_a_late_breathing_space_voids_a_referral_made_after_its_start_and_recalls_it_at_once(
    recovery, heard
):
    debt = a_debt("council_tax", due=DUE, amount=900_00)
    case_id = await raise_debt(debt)
    for n in (30, 44):  # reminder, summons
        await run_daily(day(n))
    # The court grants the liability order at the hearing on day 65 (recorded by an officer: never by the
    # timetable); then its notice and enforcement agents.
    await court_grants(case_id, day(65))
    for n in (79, 100):
        await run_daily(day(n))
    referral = (await heard_eventually(heard, "recovery.case.referred", case_id=case_id))[0]

    # The moratorium began on day 80 but the council hears of it after the referral on day 100.
    moratorium = a_moratorium([debt.debt_id], starts_on=day(80))
    await publish(moratorium, producer="breathing_space")

    recall = (await heard_eventually(heard, "recovery.recall.requested", case_id=case_id))[0]
    assert recall["referral_id"] == referral["referral_id"]
    assert recall["immediate"] is True
    confirmed = (
        await heard_eventually(
            heard,
            "recovery.breathing_space_hold.confirmed",
            moratorium_reference=moratorium.moratorium_reference,
        )
    )[0]
    assert confirmed["hold_version"] == 1 and confirmed["confirmed_debt_ids"] == [str(debt.debt_id)]
    steps = await eventually(lambda: steps_of(case_id), lambda s: s[-1][2])
    assert steps[-1] == ("enforcement_agent", day(100), True)  # on record, but void
    assert all(not void for _, taken_on, void in steps if taken_on < day(80))
    await heard_eventually(heard, "recovery.hold.applied", case_id=case_id, reason="breathing_space")

    # Held: the daily run takes no step and sends no letter while the moratorium lasts.
    letters_before = await fetch_value("SELECT count(*) FROM recovery.notice WHERE case_id = $1", case_id)
    await run_daily(day(120))
    assert len(await steps_of(case_id)) == len(steps)
    assert (
        await fetch_value("SELECT count(*) FROM recovery.notice WHERE case_id = $1", case_id)
        == letters_before
    )

    # It ends on day 140: recovery resumes where it paused, with the referral taken again the day after.
    await publish(
        BreathingSpaceHoldEnded(
            moratorium_reference=moratorium.moratorium_reference,
            hold_version=2,
            how="expired",
            last_protected_day=day(140),
            debt_ids=[debt.debt_id],
        ),
        producer="breathing_space",
    )
    await heard_eventually(heard, "recovery.hold.lifted", case_id=case_id)
    await eventually(lambda: case_row(case_id), lambda row: row["next_step_eligible_from"] == day(141))
    await run_daily(day(141))
    assert (await steps_of(case_id))[-1] == ("enforcement_agent", day(141), False)
    await heard_eventually(heard, "recovery.case.referred", 2, case_id=case_id)


async def test_costs_added_inside_a_late_breathing_space_are_reversed(recovery, heard):
    debt = a_debt("council_tax", due=DUE, amount=500_00)
    case_id = await raise_debt(debt)
    for n in (30, 44):  # reminder, then the summons with £80 costs on day 44
        await run_daily(day(n))
    await eventually(lambda: case_row(case_id), lambda row: row["balance_pence"] == 580_00)

    await publish(a_moratorium([debt.debt_id], starts_on=day(40)), producer="breathing_space")

    reversal = (await heard_eventually(heard, "recovery.costs.reversed", case_id=case_id))[0]
    assert reversal["amount_pence"] == 80_00 and reversal["void_steps"] == ["summons"]
    assert (await case_row(case_id))["balance_pence"] == 500_00


async def test_a_breathing_space_that_arrives_before_its_debt_is_applied_when_the_case_opens(recovery, heard):
    debt = a_debt("sundry", due=DUE)
    moratorium = a_moratorium([debt.debt_id], starts_on=DUE)
    await publish(moratorium, producer="breathing_space")
    await heard_eventually(
        heard, "recovery.breathing_space_hold.confirmed", moratorium_reference=moratorium.moratorium_reference
    )

    case_id = await raise_debt(debt)
    await heard_eventually(heard, "recovery.hold.applied", case_id=case_id)
    await run_daily(day(1))
    await run_daily(day(31))
    assert await steps_of(case_id) == []


async def test_debts_added_to_a_moratorium_are_held_from_its_start_and_confirmed_with_the_new_version(
    recovery, heard
):
    first, found_later = a_debt("sundry", due=DUE), a_debt("sundry", due=DUE)
    await raise_debt(first)
    later_case = await raise_debt(found_later)
    await run_daily(day(1))  # both get a first reminder
    moratorium = a_moratorium([first.debt_id], starts_on=day(10))
    await publish(moratorium, producer="breathing_space")
    await heard_eventually(
        heard, "recovery.breathing_space_hold.confirmed", moratorium_reference=moratorium.moratorium_reference
    )

    # The council's search finds the second debt; it is held from the moratorium's start too.
    await publish(
        BreathingSpaceDebtsAdded(
            moratorium_reference=moratorium.moratorium_reference,
            hold_version=2,
            starts_on=day(10),
            debt_ids=[found_later.debt_id],
        ),
        producer="breathing_space",
    )
    confirmations = await heard_eventually(
        heard,
        "recovery.breathing_space_hold.confirmed",
        2,
        moratorium_reference=moratorium.moratorium_reference,
    )
    assert confirmations[-1]["hold_version"] == 2
    assert confirmations[-1]["confirmed_debt_ids"] == [str(found_later.debt_id)]
    await heard_eventually(heard, "recovery.hold.applied", case_id=later_case, reason="breathing_space")
    await run_daily(day(31))
    assert [s[0] for s in await steps_of(later_case)] == ["first_reminder"]
