"""Catching up after faults, on servers of the benchmark's own (tests/reliability/platform_under_faults.py).

    .venv/bin/python -m benchmarks.outage database [--rate 1000] [--seconds 60] [--outage 30]
    .venv/bin/python -m benchmarks.outage annual-run-kill [--accounts 60000]

`database`: council tax charge requests at `rate` a second for `seconds` while PostgreSQL is stopped for `outage`
seconds part-way; prints how long billing and recovery take, once the database is back, to raise every debt and
open every case, and the throughput of the catch-up. `annual-run-kill`: the annual council tax run of `accounts`
accounts with billing, its relay and the run itself SIGKILLed part-way, then the same file run again; prints the
counts (every debt whole, one `billing.debt.raised` each, a recovery case each) and the times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import tempfile
import time
from pathlib import Path

from tests.reliability.platform_under_faults import (
    PrivatePlatform,
    SteadyCouncilSystem,
    council_tax_bills,
    until,
)
from tests.reliability.test_an_interrupted_billing_run_is_completed_by_its_rerun import (
    a_year_of_accounts,
    accounts_not_wholly_billed,
    the_billing_run,
)


async def database_outage(rate: float, seconds: float, outage: float) -> None:
    platform = await PrivatePlatform("outage-benchmark").start()
    try:
        bills = council_tax_bills(1_000_000, int(rate * seconds))
        references = [bill.external_reference for bill in bills]
        system = SteadyCouncilSystem(platform)
        started = time.monotonic()
        publishing = asyncio.create_task(system.publish(bills, rate))
        await asyncio.sleep(seconds / 4)
        before = await platform.debts_raised(references)
        await platform.database_outage(outage)
        back = time.monotonic()
        after_outage = await platform.debts_raised(references)
        await publishing
        published = time.monotonic() - started
        await until(lambda: platform.debts_raised(references), len(bills), timeout=1800)
        debts_at = time.monotonic()
        await until(lambda: platform.cases_opened(references), len(bills), timeout=1800)
        cases_at = time.monotonic()
        backlog = len(bills) - after_outage
        print(f"charge requests: {len(bills)} at {rate:.0f}/s (published in {published:.1f} s)")
        print(f"debts raised before the outage: {before}; PostgreSQL stopped for {outage:.0f} s")
        print(
            f"all debts raised {debts_at - back:.1f} s after the database was back ({backlog} to catch up: "
            f"{backlog / max(debts_at - back, 1e-9):.0f}/s)"
        )
        print(f"all recovery cases opened {cases_at - back:.1f} s after it")
        print(f"dead letters: {await platform.dead_letters()}; resent by the council system: {system.resent}")
    finally:
        await platform.stop()


async def annual_run_killed(accounts: int) -> None:
    platform = await PrivatePlatform("annual-run-benchmark").start()
    environment = platform.services["billing"].environment
    try:
        path = Path(tempfile.mkdtemp()) / "accounts.csv"
        references = a_year_of_accounts(path, accounts)
        started = time.monotonic()
        run = the_billing_run(path, environment)
        await until(lambda: platform.debts_raised(references), accounts // 3, timeout=1800)
        run.send_signal(signal.SIGKILL)
        platform.services["billing"].kill()  # the service and its in-process relay with it
        killed_at = await platform.debts_raised(references)
        print(
            f"annual run of {accounts} accounts killed after {time.monotonic() - started:.1f} s "
            f"with {killed_at} debts raised"
        )
        connection_check = await _not_whole(platform, references)
        print(f"debts not whole after the kill: {len(connection_check)}")
        await asyncio.to_thread(platform.services["billing"].start, 60.0)
        rerun_started = time.monotonic()
        rerun = the_billing_run(path, environment)
        out, err = await asyncio.to_thread(rerun.communicate, timeout=3600)
        if rerun.returncode != 0:
            raise SystemExit(f"the rerun failed: {err[-2000:]}")
        outcome = json.loads(out.strip().splitlines()[-1])
        summary = {key: value for key, value in outcome.items() if key != "refusals"}
        print(f"rerun: {summary} in {time.monotonic() - rerun_started:.1f} s")
        await until(lambda: platform.cases_opened(references), accounts, timeout=3600)
        print(
            f"debts: {await platform.debts_raised(references)}; not whole: "
            f"{len(await _not_whole(platform, references))}; recovery cases: "
            f"{await platform.cases_opened(references)}; dead letters: {await platform.dead_letters()}; "
            f"all done {time.monotonic() - started:.1f} s after the first run started"
        )
    finally:
        await platform.stop()


async def _not_whole(platform: PrivatePlatform, references: list[str]) -> list[str]:
    import asyncpg

    from shared.persistence.database import asyncpg_dsn

    connection = await asyncpg.connect(asyncpg_dsn(platform.profile.database_url))
    try:
        return await accounts_not_wholly_billed(connection, references)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    modes = parser.add_subparsers(dest="mode", required=True)
    database = modes.add_parser("database")
    database.add_argument("--rate", type=float, default=1000.0)
    database.add_argument("--seconds", type=float, default=60.0)
    database.add_argument("--outage", type=float, default=30.0)
    annual = modes.add_parser("annual-run-kill")
    annual.add_argument("--accounts", type=int, default=60_000)
    arguments = parser.parse_args()
    if arguments.mode == "database":
        asyncio.run(database_outage(arguments.rate, arguments.seconds, arguments.outage))
    else:
        asyncio.run(annual_run_killed(arguments.accounts))


if __name__ == "__main__":
    main()
