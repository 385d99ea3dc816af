"""Totals written off by financial year and debt area (the Leicester FOI question), by reason and by band, as
CSV and JSON, over HTTP and from the command line."""

from __future__ import annotations

import asyncio
import csv
import io
import sys
from datetime import date

from shared.clock import clock
from shared.contracts.platform import BusinessDateSet
from tests.council_bus import eventually, publish
from tests.integration.writeoff.desk import Officer, a_debt, debt_known

YEAR = "2019/20"


async def officer_asks(
    officer: Officer, amount_pence: int, reason_code: str, debt_type: str, debt_area: str
) -> str:
    debt = await debt_known(a_debt(amount_pence=amount_pence, debt_type=debt_type))
    asked = await officer.post(
        "/api/requests",
        {
            "debt_id": str(debt.debt_id),
            "amount_pence": amount_pence,
            "reason_code": reason_code,
            "evidence": [{"kind": "file note", "reference": "FN-1"}],
            "debt_area": debt_area,
        },
    )
    assert asked.status_code == 201, asked.text
    return asked.json()["request_id"]


async def cli_report(*arguments: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deploy.cli",
        "writeoff",
        "report",
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_write_off_totals_by_year_and_area_reason_and_band(writeoff_service, client):
    # North East Lincolnshire's write-offs approved in 2019/20 (no other test writes off for NELC).
    await publish(BusinessDateSet(business_date=date(2019, 9, 2)))
    await eventually(lambda: _today(), lambda today: today == date(2019, 9, 2))
    try:
        officer = await Officer.sign_in(client, "nelc.officer")
        sundry = [
            await officer_asks(officer, 600_00, "uneconomic_small_balance", "sundry", "Sundry debts"),
            await officer_asks(officer, 900_00, "absconded_untraceable", "sundry", "Sundry debts"),
        ]
        council_tax = await officer_asks(officer, 2_000_00, "statute_barred", "council_tax", "Council Tax")
        built = await officer.post("/api/schedules", {"request_ids": [*sundry, council_tax]})
        assert built.status_code == 201 and len(built.json()["schedule_ids"]) == 2  # one per band table
        for schedule_id in built.json()["schedule_ids"]:
            schedule = (await officer.get(f"/api/schedules/{schedule_id}")).json()
            signer = "nelc.service_manager" if schedule["line_count"] == 2 else "nelc.s151"
            signed = await (await Officer.sign_in(client, signer)).sign(schedule)
            assert signed.status_code == 200, signed.text
    finally:
        await publish(BusinessDateSet(business_date=None))
        await eventually(_pinned, lambda pinned: pinned is None)

    by_area = (await officer.get("/api/reports/year-and-area")).json()
    assert [row for row in by_area if row["financial_year"] == YEAR] == [
        {
            "financial_year": YEAR,
            "debt_area": "Council Tax",
            "lines": 1,
            "written_off_pence": 2_000_00,
            "reinstated_pence": 0,
            "net_written_off_pence": 2_000_00,
            "net_written_off_pounds": "2000.00",
        },
        {
            "financial_year": YEAR,
            "debt_area": "Sundry debts",
            "lines": 2,
            "written_off_pence": 1_500_00,
            "reinstated_pence": 0,
            "net_written_off_pence": 1_500_00,
            "net_written_off_pounds": "1500.00",
        },
    ]
    by_band = (await officer.get("/api/reports/band")).json()
    assert {(r["band"], r["written_off_pence"]) for r in by_band if r["financial_year"] == YEAR} == {
        ("service_manager", 1_500_00),
        ("section_151_officer", 2_000_00),
    }

    as_csv = await officer.get("/api/reports/reason", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = [r for r in csv.DictReader(io.StringIO(as_csv.text)) if r["financial_year"] == YEAR]
    assert {(r["reason"], r["written_off_pence"]) for r in rows} == {
        ("absconded_untraceable", "90000"),
        ("statute_barred", "200000"),
        ("uneconomic_small_balance", "60000"),
    }

    from_cli = await cli_report("--by", "year-and-area", "--format", "csv", "--council", "nelc")
    cli_rows = [r for r in csv.DictReader(io.StringIO(from_cli)) if r["financial_year"] == YEAR]
    assert {(r["debt_area"], r["net_written_off_pounds"]) for r in cli_rows} == {
        ("Council Tax", "2000.00"),
        ("Sundry debts", "1500.00"),
    }


async def _today() -> date:
    return clock.today()


async def _pinned() -> date | None:
    return clock.pinned
