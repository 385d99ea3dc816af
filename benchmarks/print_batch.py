"""The daily print batch for 20,000 notices: time and PDFs per second (issue 16).

Run: .venv/bin/python -m benchmarks.print_batch [letters] [render_workers]

Loads `letters` issued letters (default 20,000) for Derby with COPY: a day's mix of reminders, second reminders,
final notices, summonses (with their hearing), liability orders and enforcement letters over sundry, council
tax, business rates and housing benefit overpayment debts; one in twenty to a business, one in fifty in large
print; every one with a postal address. Then times `print_run` for the day: every PDF rendered (in
`render_workers` processes, default 2: the machine's cores) and stored with its sha256, and the one ZIP of PDFs,
manifest and totals written. Prints the time, PDFs per second, pages and the file's size, and the machine's load
averages before and after the run (the machine is shared: a rate means little without the load beside it).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path
from uuid import uuid4

import asyncpg

from benchmarks.infrastructure import benchmark_servers

DAY = date(2026, 9, 1)
MIX = (
    ("sundry", "first_reminder"),
    ("sundry", "second_reminder"),
    ("sundry", "final_notice"),
    ("council_tax", "first_reminder"),
    ("council_tax", "second_reminder"),
    ("council_tax", "final_notice"),
    ("council_tax", "summons"),
    ("council_tax", "liability_order"),
    ("council_tax", "enforcement_agent"),
    ("business_rates", "first_reminder"),
    ("housing_benefit_overpayment", "first_reminder"),
)


def _letters(count: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(letter rows, case_customer rows, postal_address rows) as COPY records."""
    from services.recovery.domain.debt_types import DebtType
    from services.recovery.domain.policy_loader import load_policy_directory
    from services.recovery.letters import BUSINESS, INDIVIDUAL, letter_for_step, letter_record
    from services.recovery.settings import POLICIES_DIRECTORY

    book = load_policy_directory(POLICIES_DIRECTORY)["derby"]
    letters, links, addresses = [], [], []
    for n in range(count):
        debt_type, step_name = MIX[n % len(MIX)]
        policy = book.policy_for(DebtType(debt_type), None)
        step = policy.step_named(step_name)
        business = n % 20 == 0
        facts: dict[str, object] = {}
        if step_name == "summons":
            facts = {
                "court_session": {
                    "court_name": "Southern Derbyshire Magistrates' Court",
                    "court_address": "St Mary's Gate, Derby, DE1 3JR",
                    "hearing_on": date(2026, 9, 24),
                    "hearing_time": clock_time(10, 0),
                },
                "costs_claimed_pence": step.costs,
            }
        issued = letter_for_step(
            policy,
            step,
            debtor_name=f"Example Trading {n} Ltd" if business else f"Mx Resident {n}",
            reference=f"REF-{n:07d}",
            debt_type=debt_type,
            financial_year="2026/27",
            amount_owed=5_000 + (n * 7919) % 200_000,
            issued_on=DAY,
            due_date=date(2026, 7, 1),
            advice_referral=n % 7 == 0,
            large_print=n % 50 == 0,
            recipient_kind=BUSINESS if business else INDIVIDUAL,
            originating_service="Revenues",
            **facts,
        )
        case_id, customer_id = uuid4(), uuid4()
        r = letter_record(issued, uuid4(), case_id, DAY)
        letters.append(
            (
                r.notice_id,
                r.case_id,
                r.council,
                r.issued_on,
                r.template,
                r.debt_type,
                r.recipient_kind,
                r.print_variant,
                r.language,
                r.amount_pence,
                json.dumps(r.facts, default=str),
            )
        )
        links.append((case_id, customer_id))
        addresses.append((customer_id, json.dumps([f"{n % 200 + 1} Friar Gate", "Derby"]), "DE1 1BU"))
    return letters, links, addresses


async def load(database_url: str, count: int) -> None:
    """Empty the letters' tables and COPY the day's letters in."""
    from shared.persistence.database import asyncpg_dsn

    letters, links, addresses = _letters(count)
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await connection.execute(
            "TRUNCATE recovery.letter, recovery.letter_pdf, recovery.print_run, recovery.print_run_letter, "
            "recovery.postal_address, recovery.case_customer"
        )
        await connection.copy_records_to_table(
            "letter",
            schema_name="recovery",
            records=letters,
            columns=[
                "notice_id",
                "case_id",
                "council",
                "issued_on",
                "template",
                "debt_type",
                "recipient_kind",
                "print_variant",
                "language",
                "amount_pence",
                "facts",
            ],
        )
        await connection.copy_records_to_table(
            "case_customer", schema_name="recovery", records=links, columns=["case_id", "customer_id"]
        )
        await connection.copy_records_to_table(
            "postal_address",
            schema_name="recovery",
            records=addresses,
            columns=["customer_id", "lines", "postcode"],
        )
        await connection.execute("ANALYZE recovery.letter")
    finally:
        await connection.close()


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{a:.2f}" for a in averages)


async def main(database_url: str, count: int, workers: int) -> None:
    started = time.perf_counter()
    await load(database_url, count)
    print(f"loaded {count:,} letters issued on {DAY} in {time.perf_counter() - started:.1f} s")

    from services.recovery.bootstrap import bootstrap
    from services.recovery.letter_settings import LetterSettings
    from services.recovery.print_batch import print_run
    from shared.logs import configure_logging

    configure_logging("recovery", "WARNING", "console")
    service = bootstrap(council="derby")
    with tempfile.TemporaryDirectory() as folder:
        settings = LetterSettings(print_folder=Path(folder), render_workers=workers)
        load_before = os.getloadavg()
        started = time.perf_counter()
        summary = await print_run(service, DAY, settings)
        seconds = time.perf_counter() - started
        load_after = os.getloadavg()
        size = summary.file.stat().st_size if summary.file else 0
    await service.runtime.database.dispose()
    print(
        f"print run: {seconds:.1f} s for {summary.printed:,} letters ({summary.rendered:,} rendered, "
        f"{summary.pages:,} pages, {summary.by_variant.get('large_print', 0)} large print): "
        f"{summary.printed / seconds:.1f} PDFs/s with {workers} render processes; "
        f"file {size / 1e6:.1f} MB ({size / max(summary.printed, 1) / 1e3:.1f} kB a letter); "
        f"load average {_load(load_before)} before, {_load(load_after)} after"
    )
    if count < 20_000:
        print(
            f"at that rate the day's 20,000 notices take {20_000 / (summary.printed / seconds) / 60:.1f} min"
        )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    _, database = benchmark_servers()
    asyncio.run(
        main(
            database,
            int(arguments[0]) if arguments else 20_000,
            int(arguments[1]) if len(arguments) > 1 else 2,
        )
    )
