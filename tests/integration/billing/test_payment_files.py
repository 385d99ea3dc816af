"""Payment files against the real database and broker: applied through the same posting as payment messages, each
payment once however often the file is loaded, and an unreadable file quarantined whole."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from services.billing.domain.payment_file import read_payment_file
from services.billing.payment_files import apply_payment_file, quarantine_payment_file
from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import a_council_tax_bill, a_payment, unique

PROJECT = Path(__file__).resolve().parents[3]
HEADER = "channel,channel_reference,amount,received_on,account_reference\n"


async def test_a_direct_debit_file_pays_each_account_once_however_often_it_is_loaded(billing, heard):
    bills = [a_council_tax_bill(), a_council_tax_bill()]
    raised = []
    for bill in bills:
        await publish(bill)
        [event] = await heard.wait_for(
            "billing.debt.raised", lambda d, b=bill: d["external_reference"] == b.external_reference
        )
        raised.append(event.data)
    accounts = [b.liable_parties[0].references["council_tax_account"] for b in bills]
    references = [unique("DD"), unique("DD")]
    lines = [HEADER] + [
        f"direct_debit,{r},127.56,2026-05-01,{a}\n" for r, a in zip(references, accounts, strict=True)
    ]

    first = await apply_payment_file(billing, read_payment_file("dd.csv", lines), lines)
    assert (first.payments, first.applied, first.already_applied) == (2, 2, 0)
    again = await apply_payment_file(billing, read_payment_file("dd.csv", lines), lines)
    assert (again.applied, again.already_applied) == (0, 2)

    # The same collection also reported as a message changes nothing more.
    await publish(a_payment(127_56, channel="direct_debit", channel_reference=references[0]))
    allocated = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] in references, count=2
    )
    [loaded] = await heard.wait_for("billing.payment_file.loaded", lambda d: d["applied"] == 2)
    assert loaded.data["file_name"] == "dd.csv" and loaded.data["payments"] == 2
    # Every allocation names the file's load as its cause.
    assert all(e.producer == "billing" and e.causation_id == loaded.event_id for e in allocated)
    for debt in raised:
        balance = await fetch_value(
            "SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", debt["debt_id"]
        )
        assert balance == 1_234_56 - 127_56
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.payment WHERE channel_reference = ANY($1::text[])", references
        )
        == 2
    )


async def test_the_payment_file_command_applies_a_good_file_and_quarantines_a_bad_one(
    billing, heard, tmp_path
):
    bill = a_council_tax_bill()
    await publish(bill)
    await heard.wait_for("billing.debt.raised", lambda d: d["external_reference"] == bill.external_reference)
    account = bill.liable_parties[0].references["council_tax_account"]
    good, bad = tmp_path / "cash-office.csv", tmp_path / "paypoint.csv"
    good.write_text(HEADER + f"cash,{unique('CASH')},20.00,2026-05-03,{account}\n")
    bad.write_text(HEADER + f"paypoint,{unique('PP')},20.00,3 May 2026,{account}\n")

    def command(path):
        return subprocess.run(
            [sys.executable, "-m", "deploy.cli", "billing", "payment-file", str(path)],
            cwd=PROJECT,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=60,
        )

    applied = await asyncio.to_thread(command, good)
    assert applied.returncode == 0, applied.stderr
    assert json.loads(applied.stdout.splitlines()[-1])["applied"] == 1
    refused = await asyncio.to_thread(command, bad)
    assert refused.returncode == 2
    outcome = json.loads(refused.stdout.splitlines()[-1])
    assert outcome["applied"] == 0 and "line 2: received_on" in outcome["problems"][0]
    assert not await asyncio.to_thread(bad.exists)
    assert await asyncio.to_thread(Path(outcome["quarantined_to"]).exists)


def test_an_unreadable_file_is_quarantined_whole_with_a_report(tmp_path):
    incoming = tmp_path / "incoming" / "paypoint.csv"
    incoming.parent.mkdir()
    incoming.write_text(HEADER + "paypoint,PP-1,abc,2026-05-01,CT1\n")
    read = read_payment_file(incoming.name, incoming.read_text().splitlines(keepends=True))
    kept = quarantine_payment_file(incoming, read, tmp_path / "quarantine")
    assert not incoming.exists()
    assert kept.read_text().endswith("paypoint,PP-1,abc,2026-05-01,CT1\n")
    report = json.loads(kept.with_name(kept.name + ".report.json").read_text())
    assert report["file"] == "paypoint.csv"
    assert report["problems"] == read.problems == ["line 2: amount 'abc' is not a sum of money"]
