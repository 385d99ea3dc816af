"""Agents gateway benchmark: billing's payments on placed debts coming back to the gateway (issue 14).

When an agent's return file is applied, billing posts each collection and publishes `billing.payment.allocated`
(channel `agent`) for it; council payments on placed debts arrive the same way (other channels) and become
amendments for the agent. This publishes `count` such payments (two in three by the agent, one in three to the
council) on placed debts, then starts the gateway's runtime and prints how long it takes to consume and apply
them all through the real broker, inbox and database.

Run: .venv/bin/python -m benchmarks.agents_gateway_payments [count]
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import date
from uuid import UUID, uuid4

import aio_pika

from benchmarks.infrastructure import benchmark_servers


async def _publish(amqp_url: str, bodies: list[tuple[str, bytes]]) -> None:
    connection = await aio_pika.connect_robust(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        for start in range(0, len(bodies), 1_000):
            await asyncio.gather(
                *(
                    exchange.publish(aio_pika.Message(body, delivery_mode=2), routing_key=key)
                    for key, body in bodies[start : start + 1_000]
                )
            )
    finally:
        await connection.close()


async def main(count: int) -> None:
    amqp_url, _ = benchmark_servers()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from shared.logs import configure_logging

    configure_logging("benchmark", "WARNING", "console")

    from sqlalchemy import text

    from services.agents_gateway.bootstrap import bootstrap
    from shared.contracts.billing import PaymentAllocated, PaymentAllocation
    from shared.contracts.envelope import Envelope

    gateway = bootstrap(poll_agents=False, send_on_schedule=False)
    database = gateway.runtime.database
    agent = "BENCHPAY"
    debts = [uuid4() for _ in range(count)]

    # -- setup (not timed): acknowledged placements, and the payments waiting on the gateway's queue ------------
    async with database.transaction() as session:
        await session.execute(
            text(
                """
                INSERT INTO placement (referral_id, case_reference, case_id, debt_id, customer_ids, agent_code,
                    debt_type, agency_kind, balance_pence, referred_on, status, placed_on)
                SELECT r, r::text, gen_random_uuid(), d, ARRAY[gen_random_uuid()], :agent, 'council_tax',
                       'enforcement_agent', 100000, DATE '2026-06-01', 'acknowledged', DATE '2026-06-02'
                FROM (SELECT gen_random_uuid() AS r, d FROM unnest(CAST(:debts AS uuid[])) AS d) AS c
                """
            ),
            {"agent": agent, "debts": debts},
        )
        inbox_before = (await session.execute(text("SELECT count(*) FROM inbox"))).scalar_one()

    def payment(n: int, debt_id: UUID) -> PaymentAllocated:
        by_the_agent = n % 3 != 2
        return PaymentAllocated(
            payment_id=uuid4(),
            customer_id=None,
            channel="agent" if by_the_agent else "card",
            channel_reference=f"{agent}:PAY-{n:08d}" if by_the_agent else f"CARD-{n:08d}",
            amount_pence=1_000 + n % 5_000,
            received_on=date(2026, 6, 10),
            allocations=[PaymentAllocation(debt_id=debt_id, amount_pence=1_000 + n % 5_000)],
        )

    envelopes = [Envelope.wrap(payment(n, debt), producer="billing") for n, debt in enumerate(debts)]
    await gateway.runtime.start()  # declares the queues and binds them; then stop and fill the queue
    await gateway.runtime.stop()
    await _publish(amqp_url, [(e.type, e.to_bytes()) for e in envelopes])

    gateway = bootstrap(poll_agents=False, send_on_schedule=False)
    database = gateway.runtime.database
    started = time.perf_counter()
    await gateway.runtime.start()
    while True:
        async with database.transaction() as session:
            done = (await session.execute(text("SELECT count(*) FROM inbox"))).scalar_one() - inbox_before
        if done >= count:
            break
        await asyncio.sleep(0.05)
    seconds = time.perf_counter() - started
    async with database.transaction() as session:
        amendments = (
            await session.execute(
                text(
                    "SELECT count(*) FROM instruction i JOIN placement p USING (referral_id) "
                    "WHERE p.agent_code = :agent AND i.kind = 'amendment'"
                ),
                {"agent": agent},
            )
        ).scalar_one()
        lowered = (
            await session.execute(
                text("SELECT count(*) FROM placement WHERE agent_code = :agent AND balance_pence < 100000"),
                {"agent": agent},
            )
        ).scalar_one()
    await gateway.runtime.stop()
    assert lowered == count, f"{lowered} of {count} placements' balances lowered"
    print(
        f"payments on placed debts: {count:,} billing.payment.allocated consumed and applied in {seconds:.1f} s "
        f"({count / seconds:,.0f}/s); {amendments:,} amendments for the agent, {lowered:,} balances lowered"
    )
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
