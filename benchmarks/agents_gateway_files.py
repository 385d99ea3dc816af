"""Agents gateway benchmark: the two big files of an enforcement agent's day, over a real SFTP server.

1. A 50,000-case placement file built from the database, signed, encrypted and uploaded over SFTP, and the
   placements marked sent (target: 30 s).
2. A 100,000-record return file fetched over SFTP, decrypted, signature verified, validated and applied in one
   transaction through the real database and outbox (target: 60 s).

Run: .venv/bin/python -m benchmarks.agents_gateway_files [placements] [return_records]
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import asyncssh

from benchmarks.infrastructure import benchmark_servers


def _returns(cases: list[str], count: int) -> list:
    """`count` return records spread over the cases: acknowledgements, payments, fees and stage updates."""
    from services.agents_gateway.domain.records import (
        FeeCharged,
        FeeStage,
        PaymentCollected,
        PlacementAcknowledged,
        StatusUpdate,
    )

    day = date(2026, 6, 3)
    records: list = [
        PlacementAcknowledged(case_reference=case, agent_reference=f"BR-{i}", acknowledged_on=day)
        for i, case in enumerate(cases[:count])
    ]
    remaining = count - len(records)
    kinds = 0
    while remaining > 0:
        case = cases[kinds % len(cases)]
        if kinds % 3 == 0:
            records.append(
                PaymentCollected(
                    case_reference=case,
                    agent_reference=f"BR-{kinds}",
                    payment_reference=f"PAY-{kinds:08d}",
                    amount_pence=1_000 + kinds % 5_000,
                    collected_on=day + timedelta(days=7),
                )
            )
        elif kinds % 3 == 1:
            records.append(
                FeeCharged(case_reference=case, stage=FeeStage.COMPLIANCE, amount_pence=75_00, charged_on=day)
            )
        else:
            records.append(StatusUpdate(case_reference=case, stage="compliance", effective_on=day))
        kinds += 1
        remaining -= 1
    return records


async def main(placements: int, return_records: int) -> None:
    amqp_url, database_url = benchmark_servers()
    os.environ["AMQP_URL"], os.environ["DATABASE_URL"] = amqp_url, database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from shared.logs import configure_logging
    from shared.persistence import migrations

    configure_logging("benchmark", "WARNING", "console")
    migrations.upgrade(database_url, ["agents_gateway"])

    from sqlalchemy import text

    from services.agents_gateway.bootstrap import bootstrap
    from services.agents_gateway.domain.agent_registry import parse_agent_registry
    from services.agents_gateway.domain.openpgp import generate_key
    from services.agents_gateway.inbound_files import poll_agent
    from services.agents_gateway.outbound_files import send_waiting_files
    from services.agents_gateway.simulator.agent import SimulatedAgent
    from services.agents_gateway.simulator.sftp_server import AgentSftpServer

    code = f"BENCH{secrets.randbelow(10**6):06d}"  # a fresh agent each run, on a database that may be reused
    council_key = generate_key("Council", "debt@council.example", bits=3072)
    agent_key = generate_key("Agent", "files@agent.example", bits=3072)
    root = Path(tempfile.mkdtemp(prefix="agents_gateway_benchmark_"))
    server = AgentSftpServer(
        root, asyncssh.generate_private_key("ssh-ed25519"), "council", secrets.token_urlsafe(16)
    )
    await server.start()
    registry = parse_agent_registry(
        f"""
council: benchmark
agents:
  - code: {code}
    name: Benchmark Enforcement
    kind: enforcement_agent
    debt_types: [council_tax]
    sftp: {{host: 127.0.0.1, port: {server.port}, username: council, password: {{env: P}}, host_key: {{env: H}}}}
    keys: {{our_private_key: {{env: C}}, agent_public_key: {{env: A}}}}
""",
        {
            "P": server.password,
            "H": server.pinned_host_key,
            "C": council_key.private_armoured.get_secret_value(),
            "A": agent_key.public_armoured,
        },
    )
    gateway = bootstrap()
    gateway.agents.use(registry)
    agent = registry.agent(code)
    database = gateway.runtime.database

    # -- setup (not timed): debtors and placements as referrals would have left them --------------------------
    async with database.transaction() as session:
        await session.execute(
            text(
                """
                WITH cases AS (SELECT n, gen_random_uuid() AS customer_id FROM generate_series(1, :count) AS n),
                debtors AS (
                  INSERT INTO debtor (customer_id, identity)
                  SELECT customer_id, jsonb_build_object('kind', 'person', 'first_names', 'Jo',
                         'surname', 'Debtor' || n, 'address',
                         jsonb_build_object('lines', jsonb_build_array(n || ' High Street', 'Derby'),
                                            'postcode', 'DE1 1AA'))
                  FROM cases RETURNING customer_id)
                INSERT INTO placement (referral_id, case_reference, case_id, debt_id, customer_ids, agent_code,
                    debt_type, agency_kind, balance_pence, referred_on, liability_order_reference,
                    liability_order_date, status)
                SELECT r, r::text, gen_random_uuid(), gen_random_uuid(), ARRAY[customer_id], :agent, 'council_tax',
                       'enforcement_agent', 500_00 + n % 200_000, DATE '2026-06-01', 'LO-' || n,
                       DATE '2026-05-01', 'awaiting_file'
                FROM (SELECT n, customer_id, gen_random_uuid() AS r FROM cases) AS c
                """.replace("500_00", "50000").replace("200_000", "200000")
            ),
            {"count": placements, "agent": code},
        )

    started = time.perf_counter()
    sent = await send_waiting_files(gateway, agent, urgent_only=False)
    placement_seconds = time.perf_counter() - started
    assert sent is not None and sent.record_count == placements
    size = (root / "inbox" / sent.file_name).stat().st_size
    print(
        f"placement file: {placements:,} cases built, signed, encrypted, uploaded over SFTP and recorded in "
        f"{placement_seconds:.1f} s ({size / 1e6:.1f} MB encrypted; target 30 s)"
    )

    # -- the agent answers (not timed): 100,000 records over the placed cases ------------------------------------
    async with database.transaction() as session:
        cases = list(
            (
                await session.execute(
                    text(
                        "SELECT case_reference FROM placement WHERE agent_code = :agent AND status = 'sent'"
                    ),
                    {"agent": code},
                )
            ).scalars()
        )
    simulated = SimulatedAgent(
        code, "benchmark", root, agent_key.private_armoured, council_key.public_armoured
    )
    name, plaintext, protected = simulated.returns_file(_returns(cases, return_records))
    simulated.upload(name, protected)
    async with database.transaction() as session:
        outbox_before = (await session.execute(text("SELECT count(*) FROM outbox"))).scalar_one()

    started = time.perf_counter()
    [outcome] = await poll_agent(gateway, agent)
    return_seconds = time.perf_counter() - started
    async with database.transaction() as session:
        outbox_after = (await session.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
    assert outcome.outcome == "applied", outcome
    print(
        f"return file: {outcome.record_count:,} records ({len(plaintext) / 1e6:.1f} MB plain, "
        f"{len(protected) / 1e6:.1f} MB encrypted) fetched over SFTP, decrypted, verified, validated and applied "
        f"in {return_seconds:.1f} s, {outbox_after - outbox_before:,} events written to the outbox (target 60 s)"
    )
    await server.stop()
    await database.dispose()


if __name__ == "__main__":
    arguments = [int(argument) for argument in sys.argv[1:]]
    asyncio.run(main(*(arguments + [50_000, 100_000][len(arguments) :])))
