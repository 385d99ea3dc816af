"""A write-off request joins a schedule only if the debt can be written off now: not on hold, not in breathing
space, not placed with an agent, and for no more than its balance. A refused request is kept and recovery is told
why, so it resumes."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import uuid4

from shared.contracts.agents_gateway import CaseReturnedByAgent
from shared.contracts.billing import BalanceChanged, BalancesChanged
from shared.contracts.breathing_space import BreathingSpaceHoldEnded, BreathingSpaceHoldStarted
from shared.contracts.recovery import CaseReferred, HoldApplied, HoldLifted
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.writeoff.desk import (
    TODAY,
    Officer,
    a_debt,
    debt_known,
    outbox_rows,
    recovery_asks,
    settled_status,
)


async def test_a_request_for_a_debt_that_can_be_written_off_awaits_a_schedule(writeoff_service):
    debt = await debt_known(a_debt())
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"


async def test_a_request_heard_before_its_debt_waits_for_billing_then_is_checked(writeoff_service):
    debt = a_debt()
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    await eventually(
        lambda: fetch_value(
            "SELECT status FROM writeoff.write_off_request WHERE request_id = $1", request.request_id
        ),
        lambda status: status == "awaiting_debt",
    )
    await publish(debt, producer="billing")
    assert await settled_status(request.request_id) == "pending"


async def test_a_debt_in_breathing_space_cannot_be_written_off_and_recovery_is_told_why(
    writeoff_service, bus
):
    debt = await debt_known(a_debt())
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=f"BS-{uuid4()}",
            hold_version=1,
            kind="standard",
            starts_on=TODAY,
            expected_end_on=None,
            customer_ids=debt.customer_ids,
            debt_ids=[debt.debt_id],
        )
    )
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM writeoff.moratorium_debt WHERE debt_id = $1", debt.debt_id),
        lambda n: n == 1,
    )
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "rejected"
    (rejected,) = await bus.hears("writeoff.write_off.rejected", request_id=request.request_id)
    assert "breathing space" in rejected.reason
    assert "debt_in_breathing_space" in rejected.refusal_codes
    assert rejected.case_id == request.case_id


async def test_once_the_breathing_space_ends_a_new_request_is_accepted(writeoff_service):
    debt = await debt_known(a_debt())
    reference = f"BS-{uuid4()}"
    started = BreathingSpaceHoldStarted(
        moratorium_reference=reference,
        hold_version=1,
        kind="standard",
        starts_on=TODAY,
        expected_end_on=None,
        customer_ids=debt.customer_ids,
        debt_ids=[debt.debt_id],
    )
    ended = BreathingSpaceHoldEnded(
        moratorium_reference=reference,
        hold_version=2,
        how="expired",
        last_protected_day=TODAY,
        debt_ids=[debt.debt_id],
    )
    await publish(ended)  # the end heard before the start: the moratorium still converges to ended
    await publish(started)
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM writeoff.moratorium_debt WHERE moratorium_reference = $1", reference
        ),
        lambda n: n == 1,
    )
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"


async def test_a_debt_on_hold_is_refused_until_the_hold_is_lifted(writeoff_service):
    debt = await debt_known(a_debt())
    hold = HoldApplied(
        hold_id=uuid4(),
        case_id=uuid4(),
        debt_id=debt.debt_id,
        reason="dispute",
        authorised_by="officer",
        starts_on=TODAY,
    )
    await publish(hold)
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM writeoff.debt_hold WHERE debt_id = $1", debt.debt_id),
        lambda n: n == 1,
    )
    first = recovery_asks(debt)
    await publish(first, producer="recovery")
    assert await settled_status(first.request_id) == "rejected"
    assert "on hold (dispute)" in await fetch_value(
        "SELECT refusals::text FROM writeoff.write_off_request WHERE request_id = $1", first.request_id
    )
    await publish(
        HoldLifted(
            hold_id=hold.hold_id,
            case_id=hold.case_id,
            debt_id=debt.debt_id,
            reason="dispute",
            lifted_on=TODAY,
        )
    )
    await eventually(
        lambda: fetch_value("SELECT lifted FROM writeoff.debt_hold WHERE hold_id = $1", hold.hold_id),
        lambda lifted: lifted is True,
    )
    second = recovery_asks(debt)
    await publish(second, producer="recovery")
    assert await settled_status(second.request_id) == "pending"


async def test_a_debt_placed_with_an_agent_is_refused_until_the_agent_returns_it(writeoff_service):
    debt = await debt_known(a_debt())
    referral = CaseReferred(
        referral_id=uuid4(),
        case_id=uuid4(),
        debt_id=debt.debt_id,
        customer_ids=debt.customer_ids,
        debt_type=debt.debt_type,
        balance_pence=debt.amount_pence,
        referred_on=TODAY,
        agency_kind="enforcement_agent",
    )
    await publish(referral)
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM writeoff.agent_placement WHERE debt_id = $1", debt.debt_id),
        lambda n: n == 1,
    )
    first = recovery_asks(debt)
    await publish(first, producer="recovery")
    assert await settled_status(first.request_id) == "rejected"
    await publish(
        CaseReturnedByAgent(
            referral_id=referral.referral_id,
            debt_id=debt.debt_id,
            agent="Bailiffs Ltd",
            reason="nulla_bona",
            returned_on=TODAY,
        )
    )
    await eventually(
        lambda: fetch_value("SELECT open FROM writeoff.agent_placement WHERE debt_id = $1", debt.debt_id),
        lambda is_open: is_open is False,
    )
    second = recovery_asks(debt)
    await publish(second, producer="recovery")
    assert await settled_status(second.request_id) == "pending"


async def test_no_more_than_the_balance_can_be_written_off(writeoff_service, bus):
    debt = await debt_known(a_debt(amount_pence=500_00))
    await publish(
        BalancesChanged(
            changes=[
                BalanceChanged(
                    debt_id=debt.debt_id,
                    customer_ids=debt.customer_ids,
                    debt_type=debt.debt_type,
                    balance_pence=200_00,
                    change_pence=-300_00,
                    cause="payment",
                    as_of=TODAY,
                )
            ]
        )
    )
    await eventually(
        lambda: fetch_value(
            "SELECT balance_pence FROM writeoff.debt_standing WHERE debt_id = $1", debt.debt_id
        ),
        lambda balance: balance == 200_00,
    )
    request = recovery_asks(debt, amount_pence=500_00)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "rejected"
    (rejected,) = await bus.hears("writeoff.write_off.rejected", request_id=request.request_id)
    assert "more than the balance of £200.00" in rejected.reason


async def test_an_officer_asks_over_http_and_cannot_give_another_reason_without_a_written_report(
    writeoff_service, client
):
    debt = await debt_known(a_debt())
    officer = await Officer.sign_in(client, "derby.budget_holder")
    asked = await officer.post(
        "/api/requests",
        {
            "debt_id": str(debt.debt_id),
            "amount_pence": debt.amount_pence,
            "reason_code": "other",
            "evidence": [{"kind": "letter", "reference": "L-17"}],
        },
    )
    assert asked.status_code == 422
    assert "written report" in asked.json()["detail"]
    request_id = asked.json()["request_id"]
    assert await settled_status(request_id) == "rejected"  # kept, with its reasons
    assert await outbox_rows("writeoff.write_off.rejected", "request_id", request_id) == 1

    again = await officer.post(
        "/api/requests",
        {
            "debt_id": str(debt.debt_id),
            "amount_pence": debt.amount_pence,
            "reason_code": "other",
            "evidence": [{"kind": "letter", "reference": "L-17"}],
            "written_report": "The customer's business was dissolved; counsel advises no recovery route.",
        },
    )
    assert again.status_code == 201, again.text
    assert again.json()["status"] == "pending"
    assert again.json()["requested_by"] == "derby.budget_holder"


async def test_an_officer_cannot_ask_about_a_debt_billing_never_described(writeoff_service, client):
    officer = await Officer.sign_in(client, "derby.budget_holder")
    asked = await officer.post(
        "/api/requests",
        {
            "debt_id": str(uuid4()),
            "amount_pence": 100,
            "reason_code": "statute_barred",
            "evidence": [{"kind": "ledger", "reference": "1999"}],
        },
    )
    assert asked.status_code == 404
    assert "not known" in asked.json()["reason"]


async def test_an_http_request_without_identity_is_refused(writeoff_service, client):
    asked = await client.post("/api/requests", json={})
    assert asked.status_code == 401
    assert "bearer token" in asked.json()["reason"]


async def test_only_one_request_per_debt_awaits_a_decision_at_a_time(writeoff_service, bus):
    debt = await debt_known(a_debt())
    first, second = recovery_asks(debt), recovery_asks(debt)
    await asyncio.gather(publish(first, producer="recovery"), publish(second, producer="recovery"))
    outcomes = sorted([await settled_status(first.request_id), await settled_status(second.request_id)])
    assert outcomes == ["pending", "rejected"]
    (rejected,) = [
        r
        for r in await bus.hears("writeoff.write_off.rejected", debt_id=debt.debt_id)
        if r.request_id in (first.request_id, second.request_id)
    ]
    assert "already awaiting a decision" in rejected.reason


async def test_the_same_request_published_twice_is_kept_once(writeoff_service):
    debt = await debt_known(a_debt())
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    await publish(request, producer="recovery")  # a new event id each time
    assert await settled_status(request.request_id) == "pending"
    assert (
        await fetch_value("SELECT count(*) FROM writeoff.write_off_request WHERE debt_id = $1", debt.debt_id)
        == 1
    )
    assert await outbox_rows("writeoff.write_off.rejected", "request_id", request.request_id) == 0


async def test_recovery_s_name_for_a_reason_is_recorded_under_the_council_s_code(writeoff_service):
    debt = await debt_known(a_debt())
    request = recovery_asks(
        debt,
        reason_code="insolvency",
        insolvency_order_date=date(2026, 1, 15),
        owed_at_order_date_pence=debt.amount_pence,
    )
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    assert (
        await fetch_value(
            "SELECT reason_code FROM writeoff.write_off_request WHERE request_id = $1", request.request_id
        )
        == "formal_insolvency"
    )


async def test_a_request_is_decided_under_the_bands_of_the_council_recovery_names(writeoff_service):
    debt = await debt_known(a_debt())
    request = recovery_asks(debt, council="sundry_policy_council")  # recovery's code for the district council
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    assert (
        await fetch_value(
            "SELECT council FROM writeoff.write_off_request WHERE request_id = $1", request.request_id
        )
        == "district_sundry"
    )


async def test_another_reason_from_recovery_is_accepted_with_its_written_report_and_refused_without(
    writeoff_service,
):
    with_report = recovery_asks(
        await debt_known(a_debt()),
        reason_code="other",
        written_report="The debtor's business was dissolved; the director's guarantee was never signed.",
    )
    without = recovery_asks(await debt_known(a_debt()), reason_code="other")
    await publish(with_report, producer="recovery")
    await publish(without, producer="recovery")
    assert await settled_status(with_report.request_id) == "pending"
    assert await settled_status(without.request_id) == "rejected"
