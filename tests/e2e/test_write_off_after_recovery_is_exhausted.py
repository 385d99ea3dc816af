"""When recovery is exhausted the debt is written off, properly approved, and a later payment brings the rest
back (Derby App.1 §12): a housing benefit overpayment runs through Derby's timetable to a collection agency,
which returns the case because the debtor has gone away; recovery asks for the write-off, a write-off officer
puts it on a schedule, the Head of Business Support (signed in, within band) signs it over the JSON API, billing
posts the write-off (nothing owed, `billing.debt.written_off`) and recovery closes the case. When the customer
later pays part of it, billing reinstates the unpaid remainder and recovery refers it back for enforcement.

An invoice whose timetable runs out is not put forward by itself (issue 19): it waits for a revenues officer, who
decides the write-off with a reason and evidence, and the request reaches the write-off service.

Billing, recovery, the agents gateway and the write-off service run as real processes; the agency is the
simulator on an SFTP server in the test.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.agents_gateway.domain.records import CaseReturned, PlacementAcknowledged, ReturnReason
from shared.contracts.council_systems import PaymentReceived
from tests.council_bus import eventually, publish
from tests.e2e.council_services import CouncilServices, RunningService, row, rows
from tests.e2e.residents import a_charge, a_resident, case_record, raised, steps_taken
from tests.e2e.the_agent import AgentOnTheOtherSide, agent_returns, gateway_environment, placed_with
from tests.identity import officer_headers

DUE = date(2026, 5, 1)


@pytest.fixture(scope="module")
async def collectco():
    agent = await AgentOnTheOtherSide(
        "CCWRITEOFF", "CollectCo Recoveries", "collection_agency", ["housing_benefit_overpayment", "sundry"]
    ).open()
    yield agent
    await agent.close()


@pytest.fixture(scope="module")
async def council(collectco):
    services = CouncilServices(
        RunningService("billing", http=True),
        RunningService("recovery", http=True),
        RunningService("agents_gateway", http=True, **gateway_environment(collectco)),
        RunningService(
            "writeoff",
            http=True,
            WRITEOFF_COUNCIL="derby",
        ),
    )
    try:
        yield await services.start()
    finally:
        services.stop()


def signed_in(person_id: str) -> dict[str, str]:
    """The headers of a person of the demo council signed in at the identity provider: a write-off officer who
    builds schedules (derby.officer) and the Head of Business Support and Debt Management, who signs up to
    £10,000 (derby.head, Derby App.1 §11)."""
    return officer_headers(person_id)


async def debt_in_billing(debt_id: UUID) -> dict[str, Any] | None:
    return await row(
        "SELECT status, balance_pence, written_off_pence FROM billing.debt WHERE debt_id = $1", debt_id
    )


async def test_a_debt_written_off_after_the_agency_returns_it_is_reinstated_by_a_later_payment(
    council, collectco
):
    overpayment = await raised(
        a_charge(
            a_resident(), "housing_benefit_overpayment", 630_40, raised_on=date(2026, 4, 1), due_date=DUE
        )
    )
    debt_id, case_id = overpayment["debt_id"], overpayment["case_id"]

    # Derby's timetable: unpaid on its due date, three letters, then the collection agency.
    for n in (0, 14, 21, 28, 42):
        await council.daily_run(DUE + timedelta(days=n))
    assert [s[0] for s in await steps_taken(case_id)][-1] == "collection_agents", await case_record(case_id)
    case = await placed_with(council, collectco, overpayment)

    # The agency takes the case, then returns it: the debtor has gone away. Recovery is exhausted.
    returned_on = DUE + timedelta(days=70)
    await council.business_date_is(returned_on)
    await agent_returns(
        council,
        collectco,
        [
            PlacementAcknowledged(
                case_reference=case, agent_reference="CC-7", acknowledged_on=DUE + timedelta(43)
            ),
            CaseReturned(
                case_reference=case,
                returned_on=returned_on,
                reason=ReturnReason.GONE_AWAY,
                balance_remaining_pence=630_40,
                notes="no forwarding address; neighbours say moved abroad",
            ),
        ],
    )
    request = await eventually(
        lambda: row(
            "SELECT request_id, amount_pence, reason_code, status, refusals FROM writeoff.write_off_request "
            "WHERE debt_id = $1",
            debt_id,
        ),
        lambda found: found is not None and found["status"] != "awaiting_debt",
    )
    assert request["status"] == "pending", request
    assert request["amount_pence"] == 630_40
    assert request["reason_code"] == "absconded_untraceable"

    # A write-off officer schedules it; the Head of Business Support signs the schedule as presented.
    async with council["writeoff"].client() as writeoff:
        officer = signed_in("derby.officer")
        built = await writeoff.post(
            "/api/schedules", headers=officer, json={"request_ids": [str(request["request_id"])]}
        )
        assert built.status_code == 201, built.text
        [schedule_id] = built.json()["schedule_ids"]
        head = signed_in("derby.head")
        schedule = (await writeoff.get(f"/api/schedules/{schedule_id}", headers=head)).json()
        assert [line["request_id"] for line in schedule["lines"]] == [str(request["request_id"])]
        signed = await writeoff.post(
            f"/api/schedules/{schedule_id}/signature",
            headers=head,
            json={
                "schedule_hash": schedule["schedule_hash"],
                "statement_of_no_interest": True,
                "rejections": {},
            },
        )
        assert signed.status_code == 200, signed.text

    # Billing posts the write-off against the debt: nothing is owed; recovery closes the case.
    written_off = await eventually(lambda: debt_in_billing(debt_id), lambda d: d["status"] == "written_off")
    assert written_off == {"status": "written_off", "balance_pence": 0, "written_off_pence": 630_40}
    [announced] = await rows(
        "SELECT convert_from(body, 'UTF8')::jsonb -> 'data' AS data FROM billing.outbox "
        "WHERE routing_key = 'billing.debt.written_off' AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> "
        "'debt_id' = $1",
        str(debt_id),
    )
    assert '"amount_pence": 63040' in announced["data"]
    await eventually(
        lambda: row("SELECT status FROM recovery.recovery_case WHERE case_id = $1", case_id),
        lambda found: found["status"] == "closed",
    )

    # Months later the customer pays £200 towards it: the unpaid remainder is owed again...
    paid_on = returned_on + timedelta(days=90)
    await council.business_date_is(paid_on)
    await publish(
        PaymentReceived(
            channel="card",
            channel_reference=f"CARD-{uuid4().hex[:12]}",
            amount_pence=200_00,
            received_on=paid_on,
            customer_id=overpayment["customer_id"],
            directed_to=[debt_id],
        ),
        producer="payments",
    )
    reinstated = await eventually(
        lambda: debt_in_billing(debt_id), lambda d: d["status"] == "open" and d["balance_pence"] != 0
    )
    assert reinstated == {"status": "open", "balance_pence": 630_40 - 200_00, "written_off_pence": 0}

    # ...and recovery reopens the case and refers it back for enforcement: a new placement with the agency.
    referrals = await eventually(
        lambda: rows(
            "SELECT referral_id, referred_on, balance_pence FROM recovery.referral WHERE case_id = $1 "
            "ORDER BY recorded_at",
            case_id,
        ),
        lambda found: len(found) == 2,
    )
    assert referrals[1]["referred_on"] == paid_on
    assert (await row("SELECT status FROM recovery.recovery_case WHERE case_id = $1", case_id))[
        "status"
    ] == "open"
    placement = await eventually(
        lambda: row(
            "SELECT status, agent_code, balance_pence FROM agents_gateway.placement WHERE referral_id = $1",
            referrals[1]["referral_id"],
        ),
        lambda found: found is not None,
    )
    assert placement["agent_code"] == collectco.code and placement["status"] == "awaiting_file", placement


async def test_an_invoice_whose_timetable_is_exhausted_waits_for_an_officer_who_decides_the_write_off(
    council,
):
    """Issue 19: Derby's sundry timetable ends at its write-off point 90 days after the legal options; recovery
    asks for no write-off by itself: the case waits in the officers' tray (GET /cases/awaiting-decision) until a
    revenues officer decides to write it off with a reason and the evidence. The request then reaches the
    write-off service with that reason in Derby's words, the officer named, and awaits a schedule."""
    due = date(2026, 5, 1)
    invoice = await raised(a_charge(a_resident(), "sundry", 180_00, raised_on=date(2026, 4, 1), due_date=due))
    case_id = invoice["case_id"]
    # Unpaid on its due date; reminders at due+1 and due+31, final notice at due+61, legal options 14 days
    # later, and the timetable's write-off point 90 days after that.
    for n in (0, 1, 31, 61, 75, 165):
        await council.daily_run(due + timedelta(days=n))
    assert [s[0] for s in await steps_taken(case_id)][-1] == "write_off_request", await case_record(case_id)
    exhausted_on = due + timedelta(days=165)
    await council.daily_run(exhausted_on + timedelta(days=3))
    assert await rows("SELECT 1 FROM recovery.write_off_request WHERE case_id = $1", case_id) == []
    assert (
        await row("SELECT 1 FROM writeoff.write_off_request WHERE debt_id = $1", invoice["debt_id"]) is None
    )

    async with council["recovery"].client() as recovery:
        officer = officer_headers("revenues.officer")
        tray = await recovery.get("/cases/awaiting-decision", headers=officer)
        assert tray.status_code == 200, tray.text
        [waiting] = [c for c in tray.json()["cases"] if c["case_id"] == str(case_id)]
        assert waiting["due_for_decision_on"] == exhausted_on.isoformat()
        assert waiting["days_waiting"] == 3
        decided = await recovery.post(
            f"/cases/{case_id}/exhausted-decision",
            headers=officer,
            json={
                "decision": "write_off",
                "write_off_reason": "uneconomic_to_pursue",
                "evidence": ["legal options considered: cost of a county court claim exceeds the debt"],
                "notes": "no assets traced",
            },
        )
        assert decided.status_code == 201, decided.text

    request = await eventually(
        lambda: row(
            "SELECT amount_pence, reason_code, status, refusals FROM writeoff.write_off_request WHERE debt_id = $1",
            invoice["debt_id"],
        ),
        lambda found: found is not None and found["status"] != "awaiting_debt",
    )
    assert request["status"] == "pending", request
    assert request["reason_code"] == "uneconomic_cost_of_proceedings"  # the officer's reason in Derby's words
    assert request["amount_pence"] >= 180_00  # the invoice and any late-payment charges on it
    asked = await row("SELECT requested_by FROM recovery.write_off_request WHERE case_id = $1", case_id)
    assert asked["requested_by"].endswith("(revenues.officer)"), asked


async def test_an_agencys_insolvency_return_waits_for_an_officer_who_writes_off_the_debt_up_to_the_order(
    council, collectco
):
    """Issue 19 and Derby App.1 §7: the agency returns the case because the debtor is insolvent. Recovery asks
    for no write-off at once (the write-off service refuses a formal insolvency without the order): the case
    waits in the officers' tray with why; the revenues officer records the order's date and what was owed on it,
    and the write-off service receives a formal insolvency request for that amount, which it accepts (pending a
    schedule, no refusals)."""
    overpayment = await raised(
        a_charge(
            a_resident(), "housing_benefit_overpayment", 630_40, raised_on=date(2026, 4, 1), due_date=DUE
        )
    )
    debt_id, case_id = overpayment["debt_id"], overpayment["case_id"]
    for n in (0, 14, 21, 28, 42):
        await council.daily_run(DUE + timedelta(days=n))
    case = await placed_with(council, collectco, overpayment)
    returned_on = DUE + timedelta(days=70)
    order_date = DUE + timedelta(days=60)
    await council.business_date_is(returned_on)
    await agent_returns(
        council,
        collectco,
        [
            PlacementAcknowledged(
                case_reference=case, agent_reference="CC-9", acknowledged_on=DUE + timedelta(43)
            ),
            CaseReturned(
                case_reference=case,
                returned_on=returned_on,
                reason=ReturnReason.INSOLVENT,
                balance_remaining_pence=630_40,
                notes="bankruptcy order seen",
            ),
        ],
    )
    await eventually(
        lambda: row("SELECT awaiting_decision_since FROM recovery.recovery_case WHERE case_id = $1", case_id),
        lambda found: found["awaiting_decision_since"] == returned_on,
    )
    assert await row("SELECT 1 FROM writeoff.write_off_request WHERE debt_id = $1", debt_id) is None

    async with council["recovery"].client() as recovery:
        officer = officer_headers("revenues.officer")
        tray = await recovery.get("/cases/awaiting-decision", headers=officer)
        assert tray.status_code == 200, tray.text
        [waiting] = [c for c in tray.json()["cases"] if c["case_id"] == str(case_id)]
        assert waiting["why"] == (
            "the agent reports an insolvency: record the order's date and what was owed on it"
        )
        asked = {
            "decision": "write_off",
            "write_off_reason": "insolvency",
            "evidence": ["bankruptcy order, Derby County Court"],
        }
        missing = await recovery.post(f"/cases/{case_id}/exhausted-decision", headers=officer, json=asked)
        assert missing.status_code == 422, missing.text
        decided = await recovery.post(
            f"/cases/{case_id}/exhausted-decision",
            headers=officer,
            json={
                **asked,
                "insolvency_order_date": order_date.isoformat(),
                "owed_at_order_date_pence": 600_00,
            },
        )
        assert decided.status_code == 201, decided.text

    request = await eventually(
        lambda: row(
            "SELECT amount_pence, reason_code, status, refusals, insolvency_order_date, owed_at_order_date_pence "
            "FROM writeoff.write_off_request WHERE debt_id = $1",
            debt_id,
        ),
        lambda found: found is not None and found["status"] != "awaiting_debt",
    )
    assert request["status"] == "pending", request
    assert request["reason_code"] == "formal_insolvency"
    assert request["amount_pence"] == 600_00  # only the debt owed up to the order
    assert request["insolvency_order_date"] == order_date
    assert request["owed_at_order_date_pence"] == 600_00
