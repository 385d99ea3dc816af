"""Billing and recovery as real processes on servers of their own, a council system's steady traffic, and the
faults an operator sees: PostgreSQL stopped and started, RabbitMQ restarted, services SIGKILLed and restarted.

Used by the reliability tests (tests/reliability/test_the_platform_rides_out_its_faults.py) and the outage
benchmark (benchmarks/outage.py): each counts effects exactly (debts, recovery cases, balances, dead letters) and
measures how long the platform takes to catch up once the fault is over.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import aio_pika
import asyncpg

from deploy.local import infra
from shared.broker_identity import amqp_url_for
from shared.contracts.council_systems import ChargeRequested, PaymentReceived
from shared.contracts.envelope import Contract, Envelope
from shared.persistence import migrations
from shared.persistence.database import asyncpg_dsn
from tests.demo_people import a_council_tax_bill
from tests.service_processes import ServiceProcess

COUNCIL_SYSTEM = "council_systems"
PAYMENT_PENCE = 100_00


@dataclass
class PrivatePlatform:
    """A PostgreSQL, a RabbitMQ, billing and recovery that no other test shares, so faults hurt nobody else."""

    name: str
    profile: infra.InfraProfile = field(init=False)
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.profile = infra.ephemeral_profile(self.name)

    async def start(self) -> PrivatePlatform:
        """Servers, migrations, then billing and recovery consuming (everything stopped again if any fails)."""
        try:
            return await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> PrivatePlatform:
        await asyncio.to_thread(infra.start_postgres, self.profile, fresh=True)
        await asyncio.to_thread(infra.start_rabbitmq, self.profile, fresh=True)
        await asyncio.to_thread(migrations.upgrade, self.profile.database_url)
        environment = {
            "AMQP_URL": self.profile.amqp_url,
            "DATABASE_URL": self.profile.database_url,
            "BROKER_PASSWORDS_FILE": str(self.profile.broker_passwords_file),
        }
        for service in ("billing", "recovery"):
            self.services[service] = ServiceProcess(service, **environment)
            await asyncio.to_thread(self.services[service].start, 60.0)
        return self

    async def stop(self) -> None:
        """Services, then servers, then the folder."""
        for process in self.services.values():
            await asyncio.to_thread(process.stop)
        await asyncio.to_thread(infra.stop, self.profile, remove_data=True)

    # -- faults ---------------------------------------------------------------------------------------------------
    async def database_outage(self, seconds: float) -> None:
        """PostgreSQL stopped for `seconds`, then started on the same data."""
        await asyncio.to_thread(infra.stop_postgres, self.profile)
        await asyncio.sleep(seconds)
        await asyncio.to_thread(infra.start_postgres, self.profile)

    async def broker_restart(self) -> None:
        """RabbitMQ stopped and started on the same data (durable quorum queues keep every message)."""
        await asyncio.to_thread(infra.stop_rabbitmq, self.profile)
        await asyncio.to_thread(infra.start_rabbitmq, self.profile)

    async def services_killed(self) -> None:
        """Billing and recovery SIGKILLed (their in-process relays with them), then started again."""
        for process in self.services.values():
            process.kill()
        for process in self.services.values():
            await asyncio.to_thread(process.start, 60.0)

    # -- counting -------------------------------------------------------------------------------------------------
    async def count(self, sql: str, *arguments: object) -> int:
        """One number from the platform's database (0 while it is down)."""
        try:
            connection = await asyncpg.connect(asyncpg_dsn(self.profile.database_url), timeout=5)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return 0
        try:
            return int(await connection.fetchval(sql, *arguments) or 0)
        except (OSError, asyncpg.PostgresError):
            return 0
        finally:
            await connection.close()

    async def debts_raised(self, references: Sequence[str]) -> int:
        return await self.count(
            "SELECT count(*) FROM billing.debt WHERE external_reference = ANY($1)", list(references)
        )

    async def cases_opened(self, references: Sequence[str]) -> int:
        return await self.count(
            "SELECT count(*) FROM recovery.recovery_case c JOIN billing.debt d ON d.debt_id = c.debt_id "
            "WHERE d.external_reference = ANY($1)",
            list(references),
        )

    async def balances_after_one_payment(self, references: Sequence[str], charge_pence: int) -> int:
        return await self.count(
            "SELECT count(*) FROM billing.debt WHERE external_reference = ANY($1) AND balance_pence = $2",
            list(references),
            charge_pence - PAYMENT_PENCE,
        )

    async def dead_letters(self) -> int:
        return await self.count(
            "SELECT (SELECT count(*) FROM billing.dead_letter) + (SELECT count(*) FROM recovery.dead_letter)"
        )


class SteadyCouncilSystem:
    """A council system publishing at a steady rate with publisher confirms. When the broker goes away it does
    what a real one must: reconnects and sends again what was not confirmed (billing applies each once)."""

    def __init__(self, platform: PrivatePlatform) -> None:
        self.url = amqp_url_for(
            COUNCIL_SYSTEM, platform.profile.amqp_url, str(platform.profile.broker_passwords_file)
        )
        self.resent = 0

    async def publish(self, messages: Sequence[Contract], per_second: float) -> None:
        """Publish every message, `per_second` of them a second, until each is confirmed by the broker."""
        envelopes = [Envelope.wrap(message, producer="council_tax") for message in messages]
        position = 0
        started = time.monotonic()
        while position < len(envelopes):
            try:
                connection = await aio_pika.connect(self.url, timeout=5)
            except (TimeoutError, OSError, aio_pika.exceptions.AMQPError):
                await asyncio.sleep(0.5)
                continue
            try:
                channel = await connection.channel(publisher_confirms=True)
                exchange = await channel.get_exchange("council.events")
                while position < len(envelopes):
                    due = started + position / per_second
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    envelope = envelopes[position]
                    await exchange.publish(
                        aio_pika.Message(
                            envelope.to_bytes(),
                            message_id=str(envelope.event_id),
                            content_type="application/json",
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                            user_id=COUNCIL_SYSTEM,
                        ),
                        routing_key=envelope.type,
                    )
                    position += 1
            except (TimeoutError, OSError, aio_pika.exceptions.AMQPError, RuntimeError):
                self.resent += 1  # the unconfirmed message goes again on the next connection
                await asyncio.sleep(0.5)
            finally:
                if not connection.is_closed:
                    await connection.close()


def council_tax_bills(first_number: int, count: int) -> list[ChargeRequested]:
    """`count` annual council tax bills for distinct residents."""
    return [a_council_tax_bill(first_number + n) for n in range(count)]


def one_payment_each(bills: Sequence[ChargeRequested], run: str) -> list[PaymentReceived]:
    """A card payment of £100 against each bill's account."""
    return [
        PaymentReceived(
            channel="card",
            channel_reference=f"{run}-{bill.external_reference}",
            amount_pence=PAYMENT_PENCE,
            received_on=date(2026, 4, 2),
            account_reference=bill.external_reference,
        )
        for bill in bills
    ]


async def until(check: Callable[[], Awaitable[int]], target: int, timeout: float) -> float:
    """Seconds until `check()` reaches `target` (raises with the last count after `timeout`)."""
    started = time.monotonic()
    last = -1
    while time.monotonic() - started < timeout:
        last = await check()
        if last >= target:
            return time.monotonic() - started
        await asyncio.sleep(0.5)
    raise AssertionError(f"reached {last} of {target} in {timeout:.0f}s")


@dataclass
class StreamThroughFault:
    """What a stream of messages through one fault came to."""

    messages: int
    published_in_seconds: float
    caught_up_after_fault_seconds: float
    resent_by_the_council_system: int


async def stream_through(
    platform: PrivatePlatform,
    messages: Sequence[Contract],
    fault: Callable[[], Awaitable[None]],
    done: Callable[[], Awaitable[int]],
    *,
    per_second: float,
    fault_after_seconds: float,
    timeout: float = 300.0,
) -> StreamThroughFault:
    """Publish `messages` steadily, inject `fault` part-way, and wait until `done()` counts all of them."""
    system = SteadyCouncilSystem(platform)
    started = time.monotonic()
    publishing = asyncio.create_task(system.publish(messages, per_second))
    await asyncio.sleep(fault_after_seconds)
    assert await done() < len(messages), "the stream finished before the fault: the run proves nothing"
    await fault()
    fault_over = time.monotonic()
    await publishing
    published = time.monotonic() - started
    await until(done, len(messages), timeout)
    return StreamThroughFault(len(messages), published, time.monotonic() - fault_over, system.resent)
