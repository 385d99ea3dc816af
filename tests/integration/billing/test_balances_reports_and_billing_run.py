"""Balances per debt and per customer over HTTP, the aged-debt report over HTTP and on the command line, and
the annual council tax billing run."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from tests.council_bus import fetch_value, publish
from tests.demo_people import unique_surname
from tests.identity import officer_headers
from tests.integration.billing.council_systems import (
    a_payment,
    a_person,
    a_sundry_invoice,
    unique,
)
from tests.integration.billing.desk import officer_desk

PROJECT = Path(__file__).resolve().parents[3]


async def raise_and_hear(heard, request):
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return raised.data


async def test_the_single_view_of_debt_shows_every_debt_by_type_with_its_postings(billing, heard):
    person = a_person()
    sundry = await raise_and_hear(heard, a_sundry_invoice(person, amount_pence=120_00))
    parking = await raise_and_hear(
        heard, a_sundry_invoice(person, debt_type="penalty_charge_notice", amount_pence=70_00)
    )
    payment = a_payment(20_00, directed_to=[UUID(sundry["debt_id"])])
    await publish(payment)
    await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == payment.channel_reference
    )
    async with officer_desk(billing, officer_headers("auditor")) as client:
        view = (await client.get(f"/customers/{sundry['customer_ids'][0]}/balance")).json()
        one = (await client.get(f"/debts/{parking['debt_id']}")).json()
        missing = await client.get("/debts/00000000-0000-0000-0000-000000000000")
        malformed = await client.get("/debts/not-a-debt")
    assert view["owed_pence"] == 100_00 + 70_00
    assert view["by_debt_type_pence"] == {"sundry": 100_00, "penalty_charge_notice": 70_00}
    [sundry_view] = [d for d in view["debts"] if d["debt_id"] == sundry["debt_id"]]
    assert sundry_view["postings_pence"] == {"charge": 120_00, "payment": 20_00}
    assert one["balance_pence"] == 70_00 and one["unpaid_lines"][0]["outstanding_pence"] == 70_00
    assert missing.status_code == 404
    assert malformed.status_code == 422


async def test_the_aged_debt_report_bands_unpaid_debt_by_type_and_service(billing, heard):
    service = unique("Aged Service")
    await raise_and_hear(
        heard, a_sundry_invoice(originating_service=service, amount_pence=55_00, raised_on=date(2026, 1, 1))
    )
    async with officer_desk(billing, officer_headers("auditor")) as client:
        report = (await client.get("/reports/aged-debt", params={"as_of": "2026-04-15"})).json()
        bad = await client.get("/reports/aged-debt", params={"as_of": "yesterday"})
    [row] = [r for r in report["rows"] if r["originating_service"] == service]
    # Due 31 January 2026 (30 days' terms): 74 days past due on 15 April.
    assert row["debt_type"] == "sundry"
    assert row["bands_pence"]["61-90"] == 55_00
    assert row["total_pence"] == 55_00
    assert bad.status_code == 422

    cli = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "deploy.cli", "billing", "aged-debt", "--as-of", "2026-04-15"],
        cwd=PROJECT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    [line] = [line for line in cli.stdout.splitlines() if service[:20] in line]
    assert "£55.00" in line


def accounts_csv(rows: list[dict[str, str]]) -> str:
    header = "account_reference,title,first_names,surname,date_of_birth,address,postcode,annual_charge,first_due_date,instalments,income_code"
    lines = [header]
    for row in rows:
        lines.append(",".join(row.get(column, "") for column in header.split(",")))
    return "\n".join(lines) + "\n"


async def test_the_annual_council_tax_run_raises_every_account_refuses_bad_rows_and_is_safe_to_rerun(
    billing, heard
):
    accounts = [unique("RUN") for _ in range(3)]
    body = accounts_csv(
        [
            dict(
                account_reference=accounts[0],
                first_names="Ada",
                surname=unique_surname("Lovelace"),
                address="1 Bold Lane|Derby",
                postcode="DE1 3NT",
                annual_charge="1650.40",
                first_due_date="2027-04-01",
                income_code="CT01",
            ),
            dict(
                account_reference=accounts[1],
                first_names="Tom",
                surname=unique_surname("Paine"),
                address="2 Bold Lane|Derby",
                postcode="DE1 3NT",
                annual_charge="1800.00",
                first_due_date="2027-04-01",
                instalments="12",
            ),
            dict(
                account_reference=accounts[2],
                first_names="J",
                surname=unique_surname("Bloggs"),
                address="3 Bold Lane",
                postcode="DE1 3NT",
                annual_charge="-5",
                first_due_date="2027-04-01",
            ),
            dict(
                account_reference=accounts[0],
                first_names="Ada",
                surname="Lovelace",
                address="1 Bold Lane",
                postcode="DE1 3NT",
                annual_charge="99.00",
                first_due_date="2027-04-01",
            ),
            dict(
                account_reference=unique("RUN"),
                first_names="Eve",
                surname="Nodate",
                postcode="DE1 3NT",
                annual_charge="120.00",
                first_due_date="1 April",
            ),
        ]
    )
    async with officer_desk(billing, officer_headers("operations")) as client:
        first = (
            await client.post("/billing-runs/council-tax", params={"financial_year": "2027/28"}, content=body)
        ).json()
        again = (
            await client.post("/billing-runs/council-tax", params={"financial_year": "2027/28"}, content=body)
        ).json()
    assert (first["raised"], first["refused"]) == (2, 3)
    bad, repeated, unreadable = (
        next(r for r in first["refusals"] if r["external_reference"].endswith(accounts[2])),
        next(r for r in first["refusals"] if r["external_reference"].endswith(accounts[0])),
        next(r for r in first["refusals"] if "cannot be read" in r["reasons"][0]),
    )
    assert any("more than nil" in r for r in bad["reasons"]) and any("initials" in r for r in bad["reasons"])
    assert any("already been raised" in r for r in repeated["reasons"])  # the same account twice in one file
    assert "line 6" in unreadable["reasons"][0]
    assert (again["raised"], again["refused"]) == (0, 5)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == f"CT-2027/28-{accounts[1]}"
    )
    assert len(raised.data["instalments"]) == 12
    assert (
        await fetch_value(
            "SELECT sum(l.amount_pence) FROM billing.debt_line l JOIN billing.debt d USING (debt_id) "
            "WHERE d.external_reference = $1",
            f"CT-2027/28-{accounts[0]}",
        )
        == 1_650_40
    )


@pytest.mark.parametrize(
    "chunk_size", [1, 100], ids=["in the chunk still being written", "in the same chunk"]
)
async def test_one_new_person_with_two_properties_in_one_run_becomes_one_customer(billing, chunk_size):
    from services.billing.annual_billing_run import run_annual_billing

    surname = unique_surname("Brontë")
    first, second, namesake = unique("RUN"), unique("RUN"), unique("RUN")
    person = dict(first_names="Anne", surname=surname, date_of_birth="1980-01-17", postcode="DE22 1AA")
    due = dict(first_due_date="2027-04-01")
    body = accounts_csv(
        [
            dict(person, **due, account_reference=first, address="1 Haworth Road", annual_charge="1200.00"),
            dict(person, **due, account_reference=second, address="2 Haworth Road", annual_charge="600.00"),
            dict(
                account_reference=unique("RUN"),
                first_names="Someone",
                surname=unique_surname("Else"),
                address="9 Other Road",
                **due,
                postcode="DE1 1ZZ",
                annual_charge="900.00",
            ),
            # Same name and postcode but no date of birth: possibly her, so an officer is asked.
            dict(
                person,
                **due,
                date_of_birth="",
                account_reference=namesake,
                address="3 Haworth Road",
                annual_charge="300.00",
            ),
        ]
    )
    # The second property is matched against the first before the first is committed: one chunk each (the first
    # is being written while the second is prepared) or both in one chunk.
    outcome = await run_annual_billing(
        billing, [f"{line}\n" for line in body.splitlines()], "2027/28", chunk_size=chunk_size
    )
    assert (outcome.raised, outcome.customers_created, outcome.customers_linked) == (4, 3, 1)
    assert outcome.flagged_for_review == 1

    async def liable(account: str) -> UUID:
        return await fetch_value(
            "SELECT p.customer_id FROM billing.debt d JOIN billing.debt_party p USING (debt_id) "
            "WHERE d.external_reference = $1",
            f"CT-2027/28-{account}",
        )

    assert await liable(first) == await liable(second)
    assert await liable(namesake) != await liable(first)


async def test_the_council_tax_run_command_raises_every_account_of_the_file(billing, tmp_path):
    account = unique("CLI")
    path = tmp_path / "accounts.csv"
    path.write_text(
        accounts_csv(
            [
                dict(
                    account_reference=account,
                    first_names="Emily",
                    surname=unique_surname("Dickinson"),
                    date_of_birth="1975-12-10",
                    address="4 Amherst Road",
                    postcode="DE3 9AA",
                    annual_charge="1000.00",
                    first_due_date="2027-04-01",
                )
            ]
        )
    )
    cli = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "deploy.cli",
            "billing",
            "council-tax-run",
            str(path),
            "--financial-year",
            "2027/28",
        ],
        cwd=PROJECT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout.strip().splitlines()[-1])["raised"] == 1
    assert (
        await fetch_value(
            "SELECT balance_pence FROM billing.debt WHERE external_reference = $1", f"CT-2027/28-{account}"
        )
        == 1000_00
    )
