"""2,000 charge requests, then 2,000 payments, flowing through billing and recovery while the infrastructure fails:
PostgreSQL stopped for 30 seconds, RabbitMQ restarted, both services SIGKILLed. Every run ends with 2,000 debts,
2,000 recovery cases and every balance right, no dead letters and nothing applied twice; the time to catch up
after each fault is printed (pytest -s shows it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from uuid import uuid4

import pytest

from tests.reliability.platform_under_faults import (
    PrivatePlatform,
    council_tax_bills,
    one_payment_each,
    stream_through,
    until,
)

MESSAGES = 2_000
PER_SECOND = 200.0  # the stream lasts about 10 seconds, so each fault lands in the middle of it
CHARGE_PENCE = 1_450_00


@pytest.fixture(scope="module")
async def platform() -> AsyncIterator[PrivatePlatform]:
    """One private platform for the three faults (each run has residents and payments of its own)."""
    running = await PrivatePlatform(f"faults-{uuid4().hex[:6]}").start()
    yield running
    await running.stop()


async def _charges_then_payments_through(
    platform: PrivatePlatform, fault: Callable[[], Awaitable[None]], first_number: int, what: str
) -> None:
    bills = council_tax_bills(first_number, MESSAGES)
    references = [bill.external_reference for bill in bills]

    charges = await stream_through(
        platform,
        bills,
        fault,
        lambda: platform.debts_raised(references),
        per_second=PER_SECOND,
        fault_after_seconds=3,
    )
    await until(lambda: platform.cases_opened(references), MESSAGES, timeout=300)
    run = uuid4().hex[:6]
    payments = await stream_through(
        platform,
        one_payment_each(bills, run),
        fault,
        lambda: platform.balances_after_one_payment(references, CHARGE_PENCE),
        per_second=PER_SECOND,
        fault_after_seconds=3,
    )
    await asyncio.sleep(2.0)  # a late duplicate would show now
    print(
        f"\n{what}: {MESSAGES} charges caught up {charges.caught_up_after_fault_seconds:.1f}s after the fault "
        f"(resent {charges.resent_by_the_council_system}); {MESSAGES} payments caught up "
        f"{payments.caught_up_after_fault_seconds:.1f}s after it (resent {payments.resent_by_the_council_system})"
    )
    assert await platform.debts_raised(references) == MESSAGES
    assert await platform.cases_opened(references) == MESSAGES
    assert await platform.balances_after_one_payment(references, CHARGE_PENCE) == MESSAGES
    assert (
        await platform.count(
            "SELECT count(*) FROM billing.payment WHERE channel_reference LIKE $1", f"{run}-%"
        )
        == MESSAGES
    ), "a payment applied twice"
    assert await platform.dead_letters() == 0


@pytest.mark.timeout(900)
async def test_a_thirty_second_database_outage_loses_nothing(platform: PrivatePlatform) -> None:
    await _charges_then_payments_through(
        platform, lambda: platform.database_outage(30.0), 10_000, "PostgreSQL stopped for 30 s"
    )


@pytest.mark.timeout(600)
async def test_a_broker_restart_loses_nothing(platform: PrivatePlatform) -> None:
    await _charges_then_payments_through(platform, platform.broker_restart, 20_000, "RabbitMQ restarted")


@pytest.mark.timeout(600)
async def test_services_killed_and_restarted_lose_nothing_and_apply_nothing_twice(
    platform: PrivatePlatform,
) -> None:
    await _charges_then_payments_through(
        platform, platform.services_killed, 30_000, "billing and recovery SIGKILLed"
    )
