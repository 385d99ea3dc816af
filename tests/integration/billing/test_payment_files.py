"""Payment files against the real database and broker: applied through the same posting as payment messages, each
payment once however often the file is loaded, and an unreadable file quarantined whole."""

from __future__ import annotations

import json

from services.billing import service  # noqa: F401  (first: it registers every handler module in order)
from services.billing.domain.payment_file import read_payment_file
from services.billing.payment_files import apply_payment_file, quarantine_payment_file
from tests.council_bus import fetch_value, publish
from tests.integration.billing.council_systems import a_council_tax_bill, a_payment, unique

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

    first = await apply_payment_file(billing.database, read_payment_file("dd.csv", lines))
    assert (first.payments, first.applied, first.already_applied) == (2, 2, 0)
    again = await apply_payment_file(billing.database, read_payment_file("dd.csv", lines))
    assert (again.applied, again.already_applied) == (0, 2)

    # The same collection also reported as a message changes nothing more.
    await publish(a_payment(127_56, channel="direct_debit", channel_reference=references[0]))
    allocated = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] in references, count=2
    )
    assert all(e.producer == "billing" and e.causation_id for e in allocated)
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
