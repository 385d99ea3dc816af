"""A council tax year by the regulations (issue 12), billing and recovery as real processes over the broker:
billing's annual run bills three Derby accounts (ten monthly instalments of £150 from 1 April 2026); payments
arrive on their days; the daily run runs every day through the summer, then weekly; the magistrates' court's
results come as a court results file.

- a taxpayer who pays every instalment on its day gets nothing;
- a taxpayer who pays the reminder within its 7 days and then every instalment gets the reminder and nothing more;
- a taxpayer who pays nothing gets the reminder at due+30 (1 May), the summons at the earliest lawful date (16 May:
  the day after the rest of the year became payable, CT reg 23(3)) for the first Wednesday sitting at least 14
  days after it is served (3 June, reg 35(2A)); the court grants the order (the file), and only then does the
  council's timetable go on: the notice of the liability order, then the enforcement agents.

(The agents gateway is not running: the referral is recovery's record and event.)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from shared.contracts.council_systems import PaymentReceived
from tests.council_bus import eventually, publish
from tests.e2e.council_services import CouncilServices, RunningService, row, rows
from tests.e2e.residents import case_record, steps_taken

YEAR_START = date(2026, 4, 1)
MONTHS = [(2026, m) for m in range(4, 13)] + [(2027, 1)]
INSTALMENT = 150_00
HEARING = date(2026, 6, 3)


@pytest.fixture(scope="module")
async def council():
    services = CouncilServices(RunningService("billing", http=True), RunningService("recovery", http=True))
    try:
        yield await services.start()
    finally:
        services.stop()


def accounts_csv(accounts: dict[str, str]) -> str:
    header = (
        "account_reference,title,first_names,surname,date_of_birth,address,postcode,annual_charge,"
        "first_due_date,instalments,income_code"
    )
    lines = [header]
    for reference, surname in accounts.items():
        lines.append(
            f"{reference},Ms,Alex,{surname},1980-02-0{len(lines)},{len(lines)} Regulation Row|Derby,DE1 3NT,"
            f"1500.00,{YEAR_START.isoformat()},10,CT01"
        )
    return "\n".join(lines) + "\n"


async def billed(council: CouncilServices, references: list[str]) -> dict[str, dict[str, Any]]:
    """Billing's annual run for the accounts; each account's debt, customer and recovery case."""
    await council.business_date_is(date(2026, 3, 10))  # the annual bills go out in March
    tag = uuid4().hex[:6]
    body = accounts_csv({r: f"Taxpayer{tag}{n}" for n, r in enumerate(references)})
    async with council["billing"].client("operations") as client:
        response = await client.post(
            "/billing-runs/council-tax", params={"financial_year": "2026/27"}, content=body
        )
    assert response.status_code == 200, response.text
    assert (response.json()["raised"], response.json()["refused"]) == (len(references), 0), response.text
    found: dict[str, dict[str, Any]] = {}
    for reference in references:
        debt = await eventually(
            lambda reference=reference: row(
                "SELECT d.debt_id, p.customer_id FROM billing.debt d JOIN billing.debt_party p USING (debt_id) "
                "WHERE d.external_reference = $1",
                f"CT-2026/27-{reference}",
            ),
            lambda d: d is not None,
        )
        assert debt is not None
        case = await eventually(
            lambda debt=debt: row(
                "SELECT case_id FROM recovery.recovery_case WHERE debt_id = $1", debt["debt_id"]
            ),
            lambda c: c is not None,
        )
        assert case is not None
        instalments = await eventually(
            lambda debt=debt: rows("SELECT * FROM recovery.instalment WHERE debt_id = $1", debt["debt_id"]),
            lambda found: len(found) == 10,
        )
        assert sorted(i["due_date"] for i in instalments)[0] == YEAR_START
        found[reference] = {**debt, "case_id": case["case_id"]}
    return found


async def pay(account: dict[str, Any], amount: int, on: date) -> None:
    await publish(
        PaymentReceived(
            channel="direct_debit",
            channel_reference=f"DD-{uuid4().hex[:12]}",
            amount_pence=amount,
            received_on=on,
            customer_id=account["customer_id"],
            directed_to=[account["debt_id"]],
        ),
        producer="payments",
    )


def run_days() -> list[date]:
    """Every day from April to the end of July, then every Monday to the end of the year."""
    days = [YEAR_START + timedelta(days=n) for n in range((date(2026, 7, 31) - YEAR_START).days + 1)]
    day = date(2026, 8, 3)
    while day <= date(2027, 3, 29):
        days.append(day)
        day += timedelta(days=7)
    return days


async def test_a_council_tax_year_follows_the_lawful_path_for_each_taxpayer(council):
    tag = uuid4().hex[:6].upper()
    on_time, pays_reminder, pays_nothing = f"CTP-{tag}-1", f"CTR-{tag}-2", f"CTN-{tag}-3"
    accounts = await billed(council, [on_time, pays_reminder, pays_nothing])
    payments: dict[date, list[tuple[str, int]]] = {}
    for y, m in MONTHS:
        payments.setdefault(date(y, m, 1), []).append((on_time, INSTALMENT))
    payments.setdefault(date(2026, 5, 5), []).append((pays_reminder, 2 * INSTALMENT))  # April and May
    for y, m in MONTHS[2:]:
        payments.setdefault(date(y, m, 1), []).append((pays_reminder, INSTALMENT))

    paid_through = YEAR_START - timedelta(days=1)
    for day in run_days():
        await council.business_date_is(day)
        # Every payment made since the last run (on its own day), before this day's run.
        while paid_through < day:
            paid_through += timedelta(days=1)
            for reference, amount in payments.get(paid_through, []):
                await pay(accounts[reference], amount, paid_through)
        if day == HEARING + timedelta(days=1):
            await the_court_results_arrive(council, accounts[pays_nothing])
        await council.daily_run(day)

    assert await steps_taken(accounts[on_time]["case_id"]) == []
    assert await steps_taken(accounts[pays_reminder]["case_id"]) == [
        ("first_reminder", date(2026, 5, 1), False)
    ], await case_record(accounts[pays_reminder]["case_id"])
    non_payer = accounts[pays_nothing]["case_id"]
    taken = await steps_taken(non_payer)
    assert [(name, on) for name, on, _ in taken[:3]] == [
        ("first_reminder", date(2026, 5, 1)),
        ("summons", date(2026, 5, 16)),
        ("liability_order", HEARING),  # dated the hearing, recorded from the court's file
    ], await case_record(non_payer)
    after_the_order = [name for name, _, _ in taken[3:5]]
    assert after_the_order == ["notice_of_liability_order", "enforcement_agent"], await case_record(non_payer)
    summons = await row(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'step' AND summary LIKE 'summons%'",
        non_payer,
    )
    assert summons is not None and "Derby Magistrates' Court on 3 June 2026 at 10:00" in summons["summary"]
    reminder = await row("SELECT amount_pence FROM recovery.notice WHERE case_id = $1", non_payer)
    assert reminder is not None and reminder["amount_pence"] == 2 * INSTALMENT  # not the year's £1,500


async def the_court_results_arrive(council: CouncilServices, account: dict[str, Any]) -> None:
    """The court's list for the hearing of 3 June, uploaded by an officer as the court sent it."""
    content = (
        "case_id,account_reference,heard_on,outcome,court_reference,costs_awarded_pence,adjourned_to\n"
        f"{account['case_id']},,{HEARING.isoformat()},granted,DMC/LO/{account['case_id'].hex[:6]},4000,\n"
    )
    async with council["recovery"].client("revenues.officer") as client:
        response = await client.post(
            "/court-results-files",
            params={"file_name": "derby-magistrates-2026-06-03.csv"},
            content=content.encode(),
            headers={"Content-Type": "text/csv"},
        )
    assert response.status_code == 201, response.text
