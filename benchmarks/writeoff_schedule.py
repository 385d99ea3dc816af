"""Write-off schedule benchmark: a schedule of 10,000 lines approved by one signature and posted to billing.

Run: .venv/bin/python -m benchmarks.writeoff_schedule [lines]

Setup (timed, but not the target): 10,000 council tax bills are raised by billing's set-based annual run
(`billing.debt.raised`, which the write-off service projects), then recovery's 10,000
`recovery.write_off.requested` (£1 of each bill) are published and checked. Both services run as real processes.

Measured: over the write-off service's HTTP API, a write-off officer builds the schedule, the Head of Business
Support views it (10,000 lines and their hash) and signs it. The signing transaction writes 10,000
`writeoff.write_off.approved` rows to the outbox; the clock runs from the signature request until the relay has
published them all, and until billing has posted every one against its income code. Target: <= 30 s.
"""

from __future__ import annotations

import asyncio
import csv
import os
import socket
import sys
import tempfile
import time
from datetime import date
from uuid import uuid4

import aio_pika
import asyncpg
import httpx

from benchmarks.infrastructure import benchmark_servers
from tests.identity import officer_headers

LINE_PENCE = 100  # £1 a line: 10,000 lines make £10,000, the Head of Business Support's band in Derby
INCOME_CODE = "CT-WO-BENCH"
TODAY = date(2026, 11, 23)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _publish_all(amqp_url: str, envelopes: list) -> None:
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        for offset in range(0, len(envelopes), 1000):
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(envelope.to_bytes(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                        routing_key=envelope.type,
                    )
                    for envelope in envelopes[offset : offset + 1000]
                )
            )
    finally:
        await connection.close()


def _postcode(n: int) -> str:
    # A postcode of its own per bill: billing matches customers by postcode, and 10,000 payers at one address
    # would be 10,000 possible matches for each.
    return f"DE{1 + n // 100} {n % 10}{chr(65 + (n // 10) % 10)}A"


async def _raise_council_tax_bills(count: int) -> None:
    """Billing's own set-based annual run raises the bills (far faster than one charge message at a time)."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as accounts:
        writer = csv.writer(accounts)
        writer.writerow(
            [
                "account_reference",
                "title",
                "first_names",
                "surname",
                "date_of_birth",
                "address",
                "postcode",
                "annual_charge",
                "first_due_date",
                "instalments",
                "income_code",
            ]
        )
        for n in range(count):
            writer.writerow(
                [
                    f"WOB{n:07d}",
                    "Ms",
                    f"Bench{n}",
                    f"Payer{n}",
                    "",
                    f"{n} Benchmark Road|Derby",
                    _postcode(n),
                    "100.00",
                    "2025-04-01",
                    "10",
                    INCOME_CODE,
                ]
            )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deploy.cli",
        "billing",
        "council-tax-run",
        accounts.name,
        "--financial-year",
        "2025/26",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"billing's council tax run failed:\n{output.decode()[-2000:]}")


async def _wait_for(
    connection: asyncpg.Connection, sql: str, expected: int, what: str, timeout: float = 3600
) -> float:
    started = time.perf_counter()
    while True:
        value = await connection.fetchval(sql)
        if value == expected:
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"gave up waiting for {what}: {value} of {expected}")
        await asyncio.sleep(0.05)


async def run(lines: int, amqp_url: str, database_url: str) -> None:
    from shared.contracts.envelope import Envelope
    from shared.contracts.recovery import WriteOffRequested
    from shared.persistence.database import asyncpg_dsn
    from tests.service_processes import ServiceProcess

    port = _free_port()
    billing = ServiceProcess("billing").start()
    writeoff = ServiceProcess("writeoff", HTTP_PORT=str(port)).start()
    database = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        started = time.perf_counter()
        await _raise_council_tax_bills(lines)
        await _wait_for(
            database,
            f"SELECT count(*) FROM writeoff.debt_standing WHERE income_code = '{INCOME_CODE}'",
            lines,
            "debts",
        )
        print(
            f"setup: {lines} council tax bills raised by billing's annual run and projected by write-off in "
            f"{time.perf_counter() - started:.1f} s"
        )
        debts = await database.fetch(
            "SELECT debt_id, financial_year FROM billing.debt WHERE income_code = $1", INCOME_CODE
        )
        requests = [
            Envelope.wrap(
                WriteOffRequested(
                    request_id=uuid4(),
                    case_id=uuid4(),
                    debt_id=debt["debt_id"],
                    customer_id=None,
                    debt_type="council_tax",
                    income_code=INCOME_CODE,
                    originating_service="Revenues",
                    financial_year=debt["financial_year"],
                    amount_pence=LINE_PENCE,
                    reason_code="uneconomic_small_balance",
                    evidence=["cost of recovery exceeds balance"],
                    requested_by="recovery",
                    requested_on=TODAY,
                ),
                producer="benchmark",
            )
            for debt in debts
        ]
        started = time.perf_counter()
        await _publish_all(amqp_url, requests)
        await _wait_for(
            database,
            "SELECT count(*) FROM writeoff.write_off_request WHERE status = 'pending'",
            lines,
            "requests",
        )
        print(
            f"setup: {lines} write-off requests received and checked in {time.perf_counter() - started:.1f} s"
        )

        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=300) as http:
            # Signed in at the benchmark's own identity provider, as the demo council's officer and Head.
            officer, head = officer_headers("derby.officer"), officer_headers("derby.head")
            started = time.perf_counter()
            built = await http.post("/api/schedules", headers=officer)
            built.raise_for_status()
            (schedule_id,) = built.json()["schedule_ids"]
            print(f"schedule of {lines} lines built in {time.perf_counter() - started:.2f} s")
            started = time.perf_counter()
            shown = await http.get(f"/api/schedules/{schedule_id}", headers=head)
            shown.raise_for_status()
            schedule = shown.json()
            print(
                f"schedule viewed ({schedule['line_count']} lines, {schedule['aggregate']}, needs "
                f"{schedule['required_band']['title']}) in {time.perf_counter() - started:.2f} s"
            )

            signing_started = time.perf_counter()
            signed = await http.post(
                f"/api/schedules/{schedule_id}/signature",
                headers=head,
                json={
                    "schedule_hash": schedule["schedule_hash"],
                    "statement_of_no_interest": True,
                    "rejections": {},
                },
            )
            signed.raise_for_status()
            signed_in = time.perf_counter() - signing_started
        print(f"signed: decision and {lines} outbox rows committed in {signed_in:.2f} s")
        await _wait_for(
            database,
            "SELECT count(*) FROM writeoff.outbox WHERE routing_key = 'writeoff.write_off.approved' "
            "AND published_at IS NOT NULL",
            lines,
            "publication",
        )
        published = time.perf_counter() - signing_started
        print(f"published: {lines} WriteOffApproved on the bus {published:.2f} s after the signature request")
        await _wait_for(
            database, "SELECT count(*) FROM billing.write_off WHERE posted_pence > 0", lines, "postings"
        )
        posted = time.perf_counter() - signing_started
        print(f"posted: billing posted all {lines} write-offs {posted:.2f} s after the signature request")
        print(f"RESULT approved and posted {lines} lines in {posted:.2f} s (target <= 30 s)")
    finally:
        await database.close()
        writeoff.stop()
        billing.stop()


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    amqp_url, database_url = benchmark_servers()
    os.environ.update(AMQP_URL=amqp_url, DATABASE_URL=database_url)
    from shared.persistence import migrations

    migrations.upgrade(database_url)  # alembic runs its own event loop, so before ours
    asyncio.run(run(lines, amqp_url, database_url))


if __name__ == "__main__":
    main()
