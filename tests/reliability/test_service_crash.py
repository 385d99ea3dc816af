"""Killing service processes mid-stream (SIGKILL) and restarting them loses no message and applies none twice."""

from __future__ import annotations

import asyncio

from tests.council_bus import database, eventually, publish
from tests.demo_people import a_council_tax_bill
from tests.service_processes import ServiceProcess

BILLS = 600


async def test_billing_and_recovery_killed_mid_stream_lose_nothing_and_apply_nothing_twice():
    billing, recovery = ServiceProcess("billing"), ServiceProcess("recovery")
    billing.start()
    recovery.start()
    connection = await database()
    requests = [a_council_tax_bill(50_000 + n) for n in range(BILLS)]
    references = [r.external_reference for r in requests]
    try:
        first, rest = requests[: BILLS // 2], requests[BILLS // 2 :]
        for request in first:
            await publish(request, producer="council_tax")

        async def debts_raised() -> int:
            return await connection.fetchval(
                "SELECT count(*) FROM billing.debt WHERE external_reference = ANY($1)", references
            )

        async def keep_the_stream_flowing() -> None:
            for request in rest:
                await publish(request, producer="council_tax")
                await asyncio.sleep(0.005)

        # Kill both while bills are still arriving: billing is consuming and the council's system is still
        # sending, so the kill lands mid-stream by construction, not by winning a race against billing's speed.
        await eventually(debts_raised, lambda n: n >= BILLS // 10, timeout=60)
        stream = asyncio.create_task(keep_the_stream_flowing())
        await asyncio.sleep(0.1)
        billing.kill()
        recovery.kill()
        assert not stream.done(), (
            "the council's system finished sending before the kill; the test proves nothing"
        )
        killed_at = await debts_raised()
        await stream
        assert killed_at < BILLS

        billing.start()
        recovery.start()
        await eventually(debts_raised, lambda n: n == BILLS, timeout=120)

        async def cases_opened() -> int:
            return await connection.fetchval(
                "SELECT count(*) FROM recovery.recovery_case c JOIN billing.debt d ON d.debt_id = c.debt_id "
                "WHERE d.external_reference = ANY($1)",
                references,
            )

        await eventually(cases_opened, lambda n: n == BILLS, timeout=120)
        await asyncio.sleep(1.0)  # a late duplicate would show up now
        assert await debts_raised() == BILLS
        assert await cases_opened() == BILLS
        # Applied twice would have violated a unique key and ended in a dead letter; there are none.
        for schema in ("billing", "recovery"):
            dead = await connection.fetchval(
                f"SELECT count(*) FROM {schema}.dead_letter d, unnest($1::text[]) AS ref "
                "WHERE position(ref in convert_from(d.body, 'UTF8')) > 0",
                references,
            )
            assert dead == 0, f"{schema} dead-lettered {dead} of these messages"
    finally:
        billing.stop()
        recovery.stop()
        await connection.close()
