"""Liability orders come from the magistrates' court: an officer records the outcome per summons over HTTP.
Nothing after the summons happens until then; a refused or unlawful outcome is refused with the reason."""

from __future__ import annotations

from datetime import date, timedelta

from tests.council_bus import fetch_value
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


async def summonsed_council_tax() -> object:
    case_id = await raise_debt(a_debt("council_tax", due=DUE, amount=600_00))
    for n in (30, 44):  # reminder, summons
        await run_daily(day(n))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder", "summons"]
    return case_id


async def outcome(case_id, **body):
    async with officer_desk() as desk:
        return await desk.post(f"/cases/{case_id}/court-outcomes", json=body)


async def test_without_the_courts_grant_no_liability_order_and_no_agents_however_long(recovery, heard):
    case_id = await summonsed_council_tax()
    for n in (65, 79, 100, 200):
        await run_daily(day(n))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder", "summons"]
    assert heard.about("recovery.case.referred", case_id=case_id) == []
    row = await case_row(case_id)
    assert (row["next_step_name"], row["next_step_eligible_from"]) == (None, None)


async def test_an_outcome_that_cannot_stand_is_refused_with_the_reason(recovery):
    case_id = await summonsed_council_tax()
    no_reference = await outcome(
        case_id, outcome="granted", heard_on=day(65).isoformat(), costs_awarded_pence=40_00
    )
    assert no_reference.status_code == 422 and "court's reference" in no_reference.text
    too_soon = await outcome(
        case_id,
        outcome="granted",
        heard_on=day(50).isoformat(),
        court_reference="DMC-1",
        costs_awarded_pence=0,
    )
    assert too_soon.status_code == 422 and "14 days" in too_soon.text
    too_much = await outcome(
        case_id,
        outcome="granted",
        heard_on=day(65).isoformat(),
        court_reference="DMC-1",
        costs_awarded_pence=500_00,
    )
    assert too_much.status_code == 422
    no_summons = await raise_debt(a_debt("council_tax", due=DUE))
    refused = await outcome(no_summons, outcome="granted", heard_on=day(65).isoformat(), court_reference="X")
    assert refused.status_code == 422 and "no summons" in refused.text
    assert await fetch_value("SELECT count(*) FROM recovery.court_result WHERE case_id = $1", case_id) == 0


async def test_an_adjourned_hearing_allows_nothing_until_the_order_is_granted_at_the_next(recovery, heard):
    case_id = await summonsed_council_tax()
    adjourned = await outcome(
        case_id, outcome="adjourned", heard_on=day(65).isoformat(), adjourned_to=day(93).isoformat()
    )
    assert adjourned.status_code == 201, adjourned.text
    await run_daily(day(90))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder", "summons"]
    await court_grants(case_id, day(93))
    steps = await steps_of(case_id)
    assert steps[-1] == ("liability_order", day(93), False)
    order = (
        await heard_eventually(heard, "recovery.stage.advanced", case_id=case_id, step_name="liability_order")
    )[0]
    assert order["costs_added_pence"] == 40_00  # the costs the court awarded


async def test_a_withdrawn_summons_reverses_its_costs_and_nothing_follows(recovery, heard):
    case_id = await summonsed_council_tax()
    withdrawn = await outcome(case_id, outcome="withdrawn", heard_on=day(65).isoformat())
    assert withdrawn.status_code == 201, withdrawn.text
    reversal = (await heard_eventually(heard, "recovery.costs.reversed", case_id=case_id))[0]
    assert reversal["amount_pence"] == 80_00 and reversal["void_steps"] == ["summons"]
    await run_daily(day(120))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder", "summons"]
