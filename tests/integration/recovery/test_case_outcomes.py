"""How a case ends or moves on: settled, cancelled or written off closes it; an agent's return for a reason that
ends recovery asks for the write-off; a refused write-off resumes recovery; a reinstated debt goes back to the
agents."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from shared.contracts.agents_gateway import (
    CaseReturnedByAgent,
    PlacementRedirected,
    PlacementRefused,
    PlacementRejected,
)
from shared.contracts.billing import (
    DebtCancelled,
    DebtReinstated,
    DebtSettled,
    PaymentAllocated,
    PaymentAllocation,
)
from shared.contracts.writeoff import WriteOffApproved, WriteOffRejected
from tests.council_bus import eventually, fetch_value, publish, publish_in_one_burst
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


async def referred_council_tax(heard, amount: int = 800_00):
    """A council tax debt taken all the way to the enforcement agents (day 100), the liability order granted by
    the court at the hearing on day 65."""
    debt = a_debt("council_tax", due=DUE, amount=amount)
    case_id = await raise_debt(debt)
    for n in (30, 44):  # reminder, summons
        await run_daily(day(n))
    await court_grants(case_id, day(65))  # the court grants the liability order; an officer records it
    for n in (79, 100):
        await run_daily(day(n))
    referral = (await heard_eventually(heard, "recovery.case.referred", case_id=case_id))[0]
    return debt, case_id, referral


async def test_a_settled_debt_closes_its_case_and_takes_no_more_steps(recovery, heard):
    debt = a_debt("sundry", due=DUE)
    case_id = await raise_debt(debt)
    await run_daily(day(1))
    await publish(DebtSettled(debt_id=debt.debt_id, settled_on=day(5)), producer="billing")
    closed = (await heard_eventually(heard, "recovery.case.closed", case_id=case_id))[0]
    assert closed["reason"] == "settled"
    await run_daily(day(31))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder"]


async def test_a_cancelled_debt_with_the_agents_is_recalled_and_closed(recovery, heard):
    debt, case_id, referral = await referred_council_tax(heard)
    await publish(DebtCancelled(debt_id=debt.debt_id, cancelled_on=day(101), reason="raised in error"))
    recall = (await heard_eventually(heard, "recovery.recall.requested", case_id=case_id))[0]
    assert recall["referral_id"] == referral["referral_id"] and recall["immediate"] is False
    await heard_eventually(heard, "recovery.case.closed", case_id=case_id)


async def test_a_case_returned_gone_away_asks_for_write_off_as_absconded_and_untraceable(recovery, heard):
    debt, case_id, referral = await referred_council_tax(heard)
    await publish(
        CaseReturnedByAgent(
            referral_id=referral["referral_id"],
            debt_id=debt.debt_id,
            agent="Marston",
            reason="Gone Away",
            returned_on=day(130),
            notes="no forwarding address; neighbours say moved abroad",
        ),
        producer="agents_gateway",
    )
    request = (await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id))[0]
    assert request["reason_code"] == "absconded_untraceable"
    assert any("Marston" in line for line in request["evidence"])
    assert request["amount_pence"] == 800_00 + 80_00 + 40_00


async def test_a_refused_placement_moves_the_case_to_its_next_step(recovery, heard):
    debt, case_id, referral = await referred_council_tax(heard)
    await publish(
        PlacementRejected(
            referral_id=referral["referral_id"],
            debt_id=debt.debt_id,
            agent="Marston",
            reason="outside our area",
            rejected_on=day(101),
        ),
        producer="agents_gateway",
    )
    # The next (and last) Derby council tax step is the write-off request, 180 days on.
    await eventually(lambda: case_row(case_id), lambda row: row["next_step_eligible_from"] == day(280))


async def test_a_referral_no_agent_may_take_waits_for_an_officer_on_the_record_and_its_redirection_too(
    recovery, heard
):
    debt, case_id, referral = await referred_council_tax(heard)
    await publish(
        PlacementRefused(
            referral_id=referral["referral_id"],
            case_id=case_id,
            debt_id=debt.debt_id,
            agency_kind="enforcement_agent",
            agent="Marston",
            reasons=["no liability order on record"],
            lawful_alternatives=["CCOLLECT"],
            refused_on=day(101),
        ),
        producer="agents_gateway",
    )
    await publish(
        PlacementRedirected(
            referral_id=referral["referral_id"],
            case_id=case_id,
            debt_id=debt.debt_id,
            agent="CCOLLECT",
            agency_kind="collection_agency",
            redirected_by="Gareth Lewis (agents.officer)",
            redirected_on=day(102),
        ),
        producer="agents_gateway",
    )

    async def record() -> list[str]:
        rows = await fetch_value(
            "SELECT coalesce(array_agg(entry || ': ' || summary ORDER BY recorded_on), '{}') "
            "FROM recovery.case_record WHERE case_id = $1 AND entry LIKE 'placement_re%'",
            case_id,
        )
        return list(rows)

    entries = await eventually(record, lambda found: len(found) == 2)
    assert "no liability order on record" in entries[0] and "CCOLLECT" in entries[0]
    assert (
        entries[1]
        == "placement_redirected: sent to CCOLLECT (collection_agency) by Gareth Lewis (agents.officer)"
    )


async def test_a_refused_write_off_resumes_recovery_with_the_reason_and_an_approved_one_closes_it(
    recovery, heard
):
    debt, case_id, _ = await referred_council_tax(heard)
    await run_daily(day(280))  # the timetable's write-off point: an officer decides (issue 19)
    async with officer_desk() as desk:
        decided = await desk.post(
            f"/cases/{case_id}/exhausted-decision",
            json={
                "decision": "write_off",
                "write_off_reason": "uneconomic_to_pursue",
                "notes": "nothing paid",
            },
        )
    assert decided.status_code == 201, decided.text
    request = (await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id))[0]

    await publish(
        WriteOffRejected(
            request_id=request["request_id"],
            debt_id=debt.debt_id,
            reason="try attachment of earnings first",
            rejected_on=day(290),
        ),
        producer="writeoff",
    )
    row = await eventually(lambda: case_row(case_id), lambda r: r["status"] == "open")
    assert row["write_off_rejected_reason"] == "try attachment of earnings first"
    await run_daily(day(291))  # no second request on its own: an officer decides
    assert len(heard.about("recovery.write_off.requested", case_id=case_id)) == 1

    await publish(
        WriteOffApproved(
            write_off_id=uuid4(),
            request_id=request["request_id"],
            schedule_id=uuid4(),
            debt_id=debt.debt_id,
            amount_pence=request["amount_pence"],
            income_code="ENV01",
            reason_code=request["reason_code"],
            approved_by="s151 officer",
            approved_on=day(300),
        ),
        producer="writeoff",
    )
    closed = (await heard_eventually(heard, "recovery.case.closed", case_id=case_id))[0]
    assert closed["reason"].startswith("written off")


async def test_a_reinstated_written_off_debt_goes_back_to_the_enforcement_agents(recovery, heard):
    debt, case_id, _ = await referred_council_tax(heard)
    await publish(
        WriteOffApproved(
            write_off_id=uuid4(),
            request_id=uuid4(),
            schedule_id=uuid4(),
            debt_id=debt.debt_id,
            amount_pence=920_00,
            income_code="CTAX",
            reason_code="uneconomic_to_pursue",
            approved_by="s151 officer",
            approved_on=day(300),
        ),
        producer="writeoff",
    )
    await heard_eventually(heard, "recovery.case.closed", case_id=case_id)
    await publish(
        DebtReinstated(
            debt_id=debt.debt_id, write_off_id=None, reinstated_pence=900_00, reinstated_on=day(400)
        ),
        producer="billing",
    )
    referrals = await heard_eventually(heard, "recovery.case.referred", 2, case_id=case_id)
    assert referrals[-1]["referred_on"] == day(400).isoformat()
    assert referrals[-1]["balance_pence"] == 900_00
    assert (await case_row(case_id))["status"] == "open"


async def test_a_referral_waits_while_the_customer_keeps_an_arrangement_on_another_debt(recovery, heard):
    customer = uuid4()
    council_tax = a_debt("council_tax", due=DUE, amount=800_00, customer_ids=[customer])
    sundry = a_debt("sundry", due=DUE, amount=120_00, customer_ids=[customer])
    case_id = await raise_debt(council_tax)
    other_case = await raise_debt(sundry)
    async with officer_desk() as desk:
        answer = await desk.post(
            "/arrangements",
            json={
                "case_ids": [str(other_case)],
                "monthly_income_pence": 1_500_00,
                "monthly_expenditure_pence": 1_450_00,
                "first_instalment_on": day(5).isoformat(),
            },
        )
    assert answer.status_code == 201, answer.text
    for payment_day in (5, 36, 66):  # the customer keeps the sundry arrangement: £40 a month
        await publish(
            PaymentAllocated(
                payment_id=uuid4(),
                customer_id=customer,
                channel="direct_debit",
                channel_reference=uuid4().hex,
                amount_pence=40_00,
                received_on=day(payment_day),
                allocations=[PaymentAllocation(debt_id=sundry.debt_id, amount_pence=40_00)],
            ),
            producer="billing",
        )
    for n in (30, 44):  # reminder, summons
        await run_daily(day(n))
    await court_grants(case_id, day(65))  # the court grants the liability order; an officer records it
    for n in (79, 100):
        await run_daily(day(n))

    assert heard.about("recovery.case.referred", case_id=case_id) == []
    row = await case_row(case_id)
    assert row["next_step_name"] == "enforcement_agent" and row["next_step_eligible_from"] == day(107)
    reason = await fetch_value(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'referral_deferred'", case_id
    )
    assert "arrangement on another debt" in reason


async def test_a_schedule_of_write_offs_closes_every_case_once_and_recalls_what_is_with_the_agents(
    recovery, heard
):
    with_agents, with_agents_case, referral = await referred_council_tax(heard)
    quiet = [a_debt("sundry", due=DUE) for _ in range(5)]
    quiet_cases = [await raise_debt(debt) for debt in quiet]

    def approval(debt_id, amount_pence=250_00) -> WriteOffApproved:
        return WriteOffApproved(  # each for all its case owes: a write-off for less leaves the case open
            write_off_id=uuid4(),
            request_id=uuid4(),
            schedule_id=schedule,
            debt_id=debt_id,
            amount_pence=amount_pence,
            income_code="SUN01",
            reason_code="uneconomic_to_pursue",
            approved_by="s151 officer",
            approved_on=day(300),
        )

    schedule = uuid4()
    repeated = approval(quiet[0].debt_id)
    # Delivered together, so the inbox hands them over as one batch; one approval arrives twice (a replay).
    await publish_in_one_burst(
        [
            approval(with_agents.debt_id, 920_00),
            repeated,
            *(approval(d.debt_id) for d in quiet[1:]),
            repeated,
        ],
        producer="writeoff",
    )

    for case_id in [with_agents_case, *quiet_cases]:
        closed = await heard_eventually(heard, "recovery.case.closed", case_id=case_id)
        assert closed[0]["reason"] == "written off (uneconomic_to_pursue)"
        row = await case_row(case_id)
        assert row["status"] == "closed" and row["closed_on"] == day(300)
    recall = (await heard_eventually(heard, "recovery.recall.requested", case_id=with_agents_case))[0]
    assert recall["referral_id"] == referral["referral_id"]
    outcomes = await fetch_value(
        "SELECT count(*) FROM recovery.write_off_outcome WHERE request_id = $1", repeated.request_id
    )
    assert outcomes == 1
    closures_recorded = await fetch_value(
        "SELECT count(*) FROM recovery.case_record WHERE case_id = $1 AND entry = 'closed'", quiet_cases[0]
    )
    assert closures_recorded == 1
    assert len(heard.about("recovery.case.closed", case_id=quiet_cases[0])) == 1
