"""An annual billing run killed part-way (SIGKILL) leaves every account either wholly billed, with its debt, its
liable customer, all its instalments and its one `billing.debt.raised`, or not billed at all; the same file run
again bills exactly the accounts that are missing and duplicates nothing.

The run is the officer's command (`council-debt billing council-tax-run FILE`) as its own process, killed once
some but not all of its debts are in the database."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import asyncpg

from tests.council_bus import database, eventually
from tests.demo_people import unique_surname

PROJECT = Path(__file__).resolve().parents[2]
ACCOUNTS = 3000
CHUNK = 200
INSTALMENTS = 10
YEAR = "2027/28"
HEADER = (
    "account_reference,title,first_names,surname,date_of_birth,address,postcode,"
    "annual_charge,first_due_date,instalments,income_code"
)


def a_year_of_accounts(path: Path, count: int) -> list[str]:
    """The council's accounts file: one new resident per property, each under its own account."""
    run = uuid4().hex[:8]
    accounts = [f"KILL-{run}-{n:05d}" for n in range(count)]
    surname = unique_surname("Brontë")
    rows = [
        f"{account},Ms,Anne{n},{surname}{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n // 676 % 26)},"
        f"1980-01-01,{n} Haworth Road|Derby,DE{n % 9 + 1} {n % 10}AA,"
        f"{1200 + n % 500}.{n % 100:02d},2027-04-01,{INSTALMENTS},CT"
        for n, account in enumerate(accounts)
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return [f"CT-{YEAR}-{account}" for account in accounts]


def the_billing_run(path: Path, environment: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The officer's annual run command on `path`, as its own process (with `environment` over this one's)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deploy.cli",
            "billing",
            "council-tax-run",
            str(path),
            "--financial-year",
            YEAR,
            "--chunk-size",
            str(CHUNK),
        ],
        cwd=PROJECT,
        env={**os.environ, **(environment or {}), "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def debts_raised(connection: asyncpg.Connection, references: list[str]) -> int:
    return await connection.fetchval(
        "SELECT count(*) FROM billing.debt WHERE external_reference = ANY($1)", references
    )


async def accounts_not_wholly_billed(connection: asyncpg.Connection, references: list[str]) -> list[str]:
    """Each debt of these accounts that lacks any part of a whole bill: exactly one liable customer, all its
    instalments, its charge posting and exactly one `billing.debt.raised`."""
    rows = await connection.fetch(
        """
        WITH debts AS (SELECT debt_id, external_reference FROM billing.debt WHERE external_reference = ANY($1)),
        customers AS (SELECT p.debt_id, count(*) AS n FROM billing.debt_party p JOIN debts USING (debt_id)
            JOIN billing.customer USING (customer_id) GROUP BY p.debt_id),
        instalments AS (SELECT l.debt_id, count(*) AS n FROM billing.debt_line l JOIN debts USING (debt_id)
            WHERE l.kind = 'instalment' GROUP BY l.debt_id),
        charges AS (SELECT p.debt_id, count(*) AS n FROM billing.posting p JOIN debts USING (debt_id)
            WHERE p.kind = 'charge' GROUP BY p.debt_id),
        events AS (SELECT (convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'debt_id')::uuid AS debt_id,
            count(*) AS n FROM billing.outbox WHERE routing_key = 'billing.debt.raised'
            AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'external_reference' = ANY($1) GROUP BY 1)
        SELECT d.external_reference, coalesce(c.n, 0) AS customers, coalesce(i.n, 0) AS instalments,
            coalesce(g.n, 0) AS charges, coalesce(e.n, 0) AS events
        FROM debts d LEFT JOIN customers c USING (debt_id) LEFT JOIN instalments i USING (debt_id)
            LEFT JOIN charges g USING (debt_id) LEFT JOIN events e USING (debt_id)
        """,
        references,
    )
    return [
        f"{r['external_reference']}: customers={r['customers']} instalments={r['instalments']} "
        f"charges={r['charges']} debt.raised={r['events']}"
        for r in rows
        if (r["customers"], r["instalments"], r["charges"], r["events"]) != (1, INSTALMENTS, 1, 1)
    ]


async def test_a_billing_run_killed_part_way_leaves_whole_bills_and_its_rerun_bills_exactly_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "accounts.csv"
    references = a_year_of_accounts(path, ACCOUNTS)
    connection = await database()
    run = the_billing_run(path)
    try:
        # Killed once some chunks are in and others are not.
        await eventually(
            lambda: debts_raised(connection, references),
            lambda n: n >= ACCOUNTS // 4 or run.poll() is not None,
            timeout=60,
        )
        run.send_signal(signal.SIGKILL)
        await asyncio.to_thread(run.wait, 10)
        killed_at = await debts_raised(connection, references)
        assert 0 < killed_at < ACCOUNTS, f"killed with {killed_at} debts: the test proves nothing"

        # Interrupted: whatever is there is whole, and nothing else is.
        assert await accounts_not_wholly_billed(connection, references) == []
        assert killed_at % CHUNK == 0, "a chunk is in part: it was not written in one transaction"

        rerun = the_billing_run(path)
        out, err = await asyncio.to_thread(rerun.communicate, timeout=120)
        assert rerun.returncode == 0, err
        outcome = json.loads(out.strip().splitlines()[-1])
        assert outcome["raised"] == ACCOUNTS - killed_at

        # Completed: every account has exactly one debt, each whole; nothing twice.
        assert await debts_raised(connection, references) == ACCOUNTS
        assert (
            await connection.fetchval(
                "SELECT count(DISTINCT external_reference) FROM billing.debt WHERE external_reference = ANY($1)",
                references,
            )
            == ACCOUNTS
        )
        assert await accounts_not_wholly_billed(connection, references) == []
        assert (
            await connection.fetchval(
                "SELECT count(*) FROM billing.outbox WHERE routing_key = 'billing.debt.raised' "
                "AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'external_reference' = ANY($1)",
                references,
            )
            == ACCOUNTS
        )
    finally:
        if run.poll() is None:
            run.kill()
        await connection.close()
