"""Payment files quarantined whole are the officers' workbench tray (`GET /payment-files/quarantined`): how many
wait, and per file its name, how long it has waited and every problem its report lists; for revenues and senior
officers and auditors only."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from services.billing.domain.payment_file import read_payment_file
from services.billing.payment_files import quarantine_payment_file, record_quarantined_file
from tests.identity import officer_headers, system_headers
from tests.integration.billing.council_systems import unique
from tests.integration.billing.desk import officer_desk

PROJECT = Path(__file__).resolve().parents[3]
HEADER = "channel,channel_reference,amount,received_on,account_reference\n"


async def tray(billing, who: str = "revenues.officer") -> dict:
    async with officer_desk(billing, officer_headers(who)) as client:
        answer = await client.get("/payment-files/quarantined", params={"limit": 500})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_quarantined_file_waits_in_the_officers_tray_with_its_problems_and_age(billing, tmp_path):
    incoming = tmp_path / f"{unique('paypoint')}.csv"
    incoming.write_text(HEADER + "paypoint,PP-1,abc,2026-05-01,CT1\n" + "paypoint,PP-2,5.00,1 May 2026,CT1\n")
    read = read_payment_file(incoming.name, incoming.read_text().splitlines(keepends=True))
    kept = quarantine_payment_file(incoming, read, tmp_path / "quarantine")
    before = (await tray(billing))["count"]
    file_id = await record_quarantined_file(billing, read, kept)

    seen = await tray(billing)
    assert seen["count"] == before + 1
    [mine] = [f for f in seen["files"] if f["file_id"] == file_id]
    assert mine["file_name"] == incoming.name
    assert mine["kept_at"] == str(kept)
    assert mine["problems_count"] == 2
    assert mine["problems"][0] == "line 2: amount 'abc' is not a sum of money"
    assert mine["age_hours"] >= 0
    assert seen["oldest_age_hours"] >= mine["age_hours"]
    # Auditors read it too.
    assert any(f["file_id"] == file_id for f in (await tray(billing, "auditor"))["files"])


async def test_the_tray_is_for_revenues_and_senior_officers_and_auditors_only(billing):
    for who in ("breathing.space.officer", "agents.officer", "no.roles"):
        async with officer_desk(billing, officer_headers(who)) as client:
            answer = await client.get("/payment-files/quarantined")
        assert answer.status_code == 403, who
    async with officer_desk(billing, system_headers("council-systems")) as client:
        assert (await client.get("/payment-files/quarantined")).status_code == 403
    async with officer_desk(billing) as client:
        assert (await client.get("/payment-files/quarantined")).status_code == 401


async def test_the_payment_file_command_puts_a_file_it_quarantines_in_the_tray(billing, tmp_path):
    bad = tmp_path / f"{unique('cash')}.csv"
    bad.write_text(HEADER + f"cash,{unique('CASH')},20.00,3 May 2026,CT9\n")
    refused = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "deploy.cli", "billing", "payment-file", str(bad)],
        cwd=PROJECT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2, refused.stderr
    outcome = json.loads(refused.stdout.splitlines()[-1])
    [mine] = [f for f in (await tray(billing))["files"] if f["file_name"] == bad.name]
    assert mine["kept_at"] == outcome["quarantined_to"]
    assert mine["problems_count"] == 1
