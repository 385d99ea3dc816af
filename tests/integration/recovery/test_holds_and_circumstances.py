"""Holds an officer puts on a case, and what a vulnerable or can't-pay debtor's circumstances change: a held case
takes no step and sends no letter; a vulnerable debtor is not referred to agents until reviewed."""

from __future__ import annotations

from datetime import date, timedelta

from shared.contracts.agents_gateway import VulnerabilityReferred
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


async def test_a_case_on_a_manual_hold_takes_no_step_until_the_named_officer_lifts_it(recovery, heard):
    debt = a_debt("sundry", due=DUE)
    case_id = await raise_debt(debt)
    async with officer_desk() as desk:
        answer = await desk.post(
            f"/cases/{case_id}/holds",
            json={
                "kind": "manual",
                "reason": "Head of Environmental Services asks to pause while the contract is reviewed",
                "starts_on": DUE.isoformat(),
                "review_on": day(60).isoformat(),
            },
        )
        assert answer.status_code == 201, answer.text
        hold_id = answer.json()["hold_id"]
        await heard_eventually(heard, "recovery.hold.applied", case_id=case_id, reason="manual")

        await run_daily(day(1))
        await run_daily(day(31))
        assert await steps_of(case_id) == []
        assert await fetch_value("SELECT count(*) FROM recovery.notice WHERE case_id = $1", case_id) == 0

        lifted = await desk.post(
            f"/cases/{case_id}/holds/{hold_id}/lift",
            json={"reason": "contract confirmed", "lifted_on": day(40).isoformat()},
        )
        assert lifted.status_code == 200, lifted.text
    await heard_eventually(heard, "recovery.hold.lifted", case_id=case_id)
    await run_daily(day(40))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder"]


async def test_a_manual_hold_without_a_review_date_is_refused_with_the_reason(recovery):
    case_id = await raise_debt(a_debt("sundry", due=DUE))
    async with officer_desk() as desk:
        answer = await desk.post(
            f"/cases/{case_id}/holds",
            json={"kind": "manual", "reason": "pause"},
        )
        unknown = await desk.post(f"/cases/{case_id}/holds", json={"kind": "breathing_space", "reason": "x"})
    assert answer.status_code == 422 and "review date" in answer.json()["detail"]
    assert unknown.status_code == 422


async def test_a_dispute_over_part_of_the_debt_still_collects_the_undisputed_part(recovery, heard):
    debt = a_debt("sundry", due=DUE, amount=300_00)
    case_id = await raise_debt(debt)
    async with officer_desk() as desk:
        answer = await desk.post(
            f"/cases/{case_id}/holds",
            json={
                "kind": "dispute",
                "reason": "customer says one of three collections never happened",
                "starts_on": DUE.isoformat(),
                "disputed_amount_pence": 100_00,
            },
        )
    assert answer.status_code == 201, answer.text
    assert answer.json()["review_on"] == day(30).isoformat()  # the 30-day resolution clock

    await run_daily(day(1))
    notice = (await heard_eventually(heard, "recovery.notice.issued", case_id=case_id))[0]
    assert notice["amount_pence"] == 200_00
    assert "£200.00" in notice["letter_text"]


async def test_a_vulnerable_debtor_is_not_referred_to_agents_until_their_circumstances_are_reviewed(
    recovery, heard
):
    debt = a_debt("council_tax", due=DUE, amount=700_00)
    case_id = await raise_debt(debt)
    customer_id = debt.customer_ids[0]
    async with officer_desk() as desk:
        answer = await desk.post(
            f"/customers/{customer_id}/circumstances",
            json={
                "vulnerable": True,
                "indicators": ["recent bereavement", "mental health condition"],
                "cant_pay": True,
                "large_print": True,
                "notes": "lives alone; referred to StepChange",
            },
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["gentler_route"] is True

        # The gentler route: 14 more days to pay at every step, enforcement a further 30 days later.
        await run_daily(day(30))
        assert await steps_of(case_id) == []
        await run_daily(day(44))
        notice = (await heard_eventually(heard, "recovery.notice.issued", case_id=case_id))[0]
        assert notice["large_print"] is True and notice["letter_text"].startswith("LARGE PRINT")
        assert "free, independent advice" in " ".join(notice["letter_text"].split())

        for n in range(45, 400, 7):
            await run_daily(day(n))
            if (await case_row(case_id))["next_step_eligible_from"] is None:
                break
        # The summons is out: nothing follows until the court's grant is recorded.
        assert [s[0] for s in await steps_of(case_id)][-1] == "summons"
        summons_on = (await steps_of(case_id))[-1][1]
        await court_grants(case_id, summons_on + timedelta(days=21))
        for n in range((summons_on - DUE).days + 22, 400, 7):
            await run_daily(day(n))
            if (await case_row(case_id))["next_step_eligible_from"] is None:
                break
        row = await case_row(case_id)
        assert row["next_step_name"] == "enforcement_agent" and row["next_step_eligible_from"] is None
        assert heard.about("recovery.case.referred", case_id=case_id) == []

        reviewed = await desk.post(
            f"/customers/{customer_id}/circumstances/review",
            json={"notes": "now in work; able to pay"},
        )
        assert reviewed.status_code == 200, reviewed.text
    due_on = (await case_row(case_id))["next_step_eligible_from"]
    assert due_on is not None
    await run_daily(due_on)
    referral = (await heard_eventually(heard, "recovery.case.referred", case_id=case_id))[0]
    assert referral["vulnerability_flags"] == ["vulnerable"]


async def test_an_agent_referring_a_vulnerable_debtor_back_holds_enforcement(recovery, heard):
    debt = a_debt("council_tax", due=DUE, amount=650_00)
    case_id = await raise_debt(debt)
    for n in (30, 44):  # reminder, summons
        await run_daily(day(n))
    await court_grants(case_id, day(65))  # the court grants the liability order; an officer records it
    for n in (79, 100):
        await run_daily(day(n))
    referral = (await heard_eventually(heard, "recovery.case.referred", case_id=case_id))[0]

    await publish(
        VulnerabilityReferred(
            debt_id=debt.debt_id,
            agent="Marston",
            indicators=["serious illness"],
            referred_on=day(110),
            notes="debtor in hospital",
        ),
        producer="agents_gateway",
    )
    recall = (await heard_eventually(heard, "recovery.recall.requested", case_id=case_id))[0]
    assert recall["referral_id"] == referral["referral_id"]
    hold = (await heard_eventually(heard, "recovery.hold.applied", case_id=case_id, reason="vulnerability"))[
        0
    ]
    assert hold["review_on"] == day(138).isoformat()
    row = await eventually(lambda: case_row(case_id), lambda r: r["vulnerable"])
    assert row["next_step_eligible_from"] is None
    await run_daily(day(300))
    assert [s[0] for s in await steps_of(case_id)][-1] == "enforcement_agent"
    assert len(await steps_of(case_id)) == 5
