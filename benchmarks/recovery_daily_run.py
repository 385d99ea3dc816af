"""Recovery daily run benchmark: 500,000 open cases, 10% with a step due on the business date.

Run: .venv/bin/python -m benchmarks.recovery_daily_run [cases] [due_percent]

Loads the cases with COPY (Derby policies: a mix of sundry, council tax, business rates and housing benefit
overpayment cases, a third of the due ones already past their first step), starts the recovery service in this
process, publishes `recovery.daily_run.requested` for the date and times it until the run is recorded finished
(every due step taken, letter rendered and stored, events in the outbox). Then publishes the same date again and
times the rerun, which must find nothing to do. Targets: <= 5 minutes, and <= 30 s for the rerun.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from datetime import date, timedelta
from uuid import UUID, uuid4

import asyncpg

from benchmarks.infrastructure import benchmark_servers

BUSINESS_DATE = date(2026, 9, 1)
DEBT_TYPES = ("sundry", "council_tax", "business_rates", "housing_benefit_overpayment")


def _case_rows(count: int, due_percent: int) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    """Cases, their customers, customer names, and earlier steps, as COPY records."""
    rng = random.Random(20260901)
    cases, links, customers, steps = [], [], [], []
    due_every = max(100 // due_percent, 1)
    for n in range(count):
        case_id, debt_id, customer_id = uuid4(), uuid4(), uuid4()
        due = n % due_every == 0
        debt_type = DEBT_TYPES[n % len(DEBT_TYPES)]
        balance = rng.randrange(20_00, 2_000_00)
        if due:
            # A third of the due cases are a step further on: first reminder taken, second step due today.
            if n % 3 == 0 and debt_type == "sundry":
                due_date = BUSINESS_DATE - timedelta(days=31)
                steps.append(
                    (uuid4(), case_id, "first_reminder", "reminder", due_date + timedelta(days=1), 0)
                )
                next_step, eligible = "second_reminder", BUSINESS_DATE
            else:
                offset = {
                    "sundry": 1,
                    "council_tax": 30,
                    "business_rates": 30,
                    "housing_benefit_overpayment": 14,
                }
                due_date = BUSINESS_DATE - timedelta(days=offset[debt_type])
                next_step, eligible = "first_reminder", BUSINESS_DATE
        else:
            due_date = BUSINESS_DATE + timedelta(days=rng.randrange(1, 200))
            next_step, eligible = "first_reminder", due_date + timedelta(days=30)
        cases.append(
            (
                case_id,
                debt_id,
                f'["{customer_id}"]',
                debt_type,
                balance,
                due_date,
                "open",
                "2026/27",
                "INC01",
                "Revenues",
                f"REF-{n:07d}",
                "bill",
                due_date - timedelta(days=30),
                next_step,
                eligible,
            )
        )
        links.append((case_id, customer_id))
        customers.append((customer_id, "person", f"Customer {n}", n % 50 == 0))
    return cases, links, customers, steps


async def load(database_url: str, count: int, due_percent: int) -> None:
    """Empty recovery's tables and COPY the cases in."""
    from shared.persistence.database import asyncpg_dsn

    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await connection.execute(
            "TRUNCATE recovery.recovery_case, recovery.case_customer, recovery.customer, recovery.case_step, "
            "recovery.notice, recovery.case_record, recovery.referral, recovery.write_off_request, "
            "recovery.outbox, recovery.daily_run CASCADE"  # and every table referring to a case
        )
        cases, links, customers, steps = _case_rows(count, due_percent)
        await connection.copy_records_to_table(
            "recovery_case",
            schema_name="recovery",
            records=cases,
            columns=[
                "case_id",
                "debt_id",
                "customer_ids",
                "debt_type",
                "balance_pence",
                "due_date",
                "status",
                "financial_year",
                "income_code",
                "originating_service",
                "external_reference",
                "evidence_reference",
                "raised_on",
                "next_step_name",
                "next_step_eligible_from",
            ],
        )
        await connection.copy_records_to_table(
            "case_customer", schema_name="recovery", records=links, columns=["case_id", "customer_id"]
        )
        await connection.copy_records_to_table(
            "customer",
            schema_name="recovery",
            records=customers,
            columns=["customer_id", "kind", "name", "large_print"],
        )
        await connection.copy_records_to_table(
            "case_step",
            schema_name="recovery",
            records=steps,
            columns=["step_id", "case_id", "step_name", "kind", "taken_on", "costs_pence"],
        )
        await connection.execute("ANALYZE recovery.recovery_case")
        await connection.execute("ANALYZE recovery.case_step")
    finally:
        await connection.close()


async def timed_run(database_url: str, business_date: date) -> tuple[float, dict]:
    """Publish a daily run request and wait until its row says finished; (seconds, the row)."""
    from shared.contracts.recovery import DailyRunRequested
    from shared.persistence.database import asyncpg_dsn
    from tests.council_bus import publish

    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        started = time.perf_counter()
        envelope = await publish(DailyRunRequested(business_date=business_date), producer="scheduler")
        assert envelope is not None
        run_id: UUID = envelope.event_id
        while True:
            row = await connection.fetchrow(
                "SELECT * FROM recovery.daily_run WHERE run_id = $1 AND finished_at IS NOT NULL", run_id
            )
            if row is not None:
                return time.perf_counter() - started, dict(row)
            await asyncio.sleep(0.1)
    finally:
        await connection.close()


async def main(database_url: str, count: int, due_percent: int) -> None:
    started = time.perf_counter()
    await load(database_url, count, due_percent)
    print(f"loaded {count:,} open cases ({due_percent}% due) in {time.perf_counter() - started:.1f} s")

    from shared.logs import configure_logging

    configure_logging("recovery", "WARNING", "console")
    from services.recovery.bootstrap import bootstrap

    runtime = bootstrap().runtime

    await runtime.start()
    try:
        seconds, row = await timed_run(database_url, BUSINESS_DATE)
        print(
            f"daily run: {seconds:.1f} s for {row['cases_examined']:,} due cases: {row['steps_taken']:,} steps, "
            f"{row['notices_issued']:,} notices, {row['referrals']:,} referrals "
            f"({row['cases_examined'] / seconds:,.0f} cases/s; target <= 300 s)"
        )
        seconds, row = await timed_run(database_url, BUSINESS_DATE)
        print(
            f"rerun for the same date: {seconds:.2f} s, {row['steps_taken']} steps taken "
            f"({row['cases_examined']} cases examined; target <= 30 s doing nothing)"
        )
    finally:
        await runtime.stop()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    _, database = benchmark_servers()  # private servers (or AMQP_URL/DATABASE_URL), migrated
    asyncio.run(
        main(
            database,
            int(arguments[0]) if arguments else 500_000,
            int(arguments[1]) if len(arguments) > 1 else 10,
        )
    )
