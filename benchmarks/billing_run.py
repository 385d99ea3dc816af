"""Billing benchmark: the annual council tax billing run, then payments through the billing service.

Run: .venv/bin/python -m benchmarks.billing_run [accounts] [payments] [replicas]   (defaults 200,000, 200,000 and
1; payments 0: the billing run alone; replicas: billing service processes competing for the payments, e.g. 2 as
compose deploys them)

1. Writes an accounts CSV and runs `council-debt billing council-tax-run` as its own process (10 instalments
   each), timing it and sampling its memory (RSS).
2. Starts billing's outbox relay as its own process (as run-system runs it) and times it publishing the run's
   events.
3. Queues the payments on the broker (direct debits quoting the council tax account, one message each), starts
   the billing service (its replicas competing for the queue) and times it until every payment is applied (allocated, lines, postings, balances,
   events in the outbox), sampling the service's memory throughout.
4. The next month's collection as one direct debit file of the same number of payments, loaded with
   `council-debt billing payment-file` (the same posting, a chunk per transaction), timed the same way.
Targets: the run in at most 3 minutes, at least 2,000 payments a second, service memory under 300 MB.
"""

# Orchestration of processes and files: blocking calls in this script are deliberate and brief.
# ruff: noqa: ASYNC220, ASYNC221, ASYNC240

from __future__ import annotations

import asyncio
import contextlib
import csv
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import aio_pika
import asyncpg
import psutil

from benchmarks.infrastructure import benchmark_servers
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Envelope
from shared.persistence.database import asyncpg_dsn

PROJECT = Path(__file__).resolve().parents[1]
FINANCIAL_YEAR = "2026/27"
FIRST_DUE = date(2026, 4, 1)
PAYMENT_QUEUE = "billing.council_systems.payment.received"


def annual_charge_pence(n: int) -> int:
    return 1_200_00 + (n % 900) * 137  # £1,200.00 - £2,432.93: odd pounds and pence on the first instalment


def letters(n: int, width: int) -> str:
    """A distinct name-like word for each number (names carry no digits; matching compares letters)."""
    word = ""
    for _ in range(width):
        n, digit = divmod(n, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[digit]
    return word.capitalize()


def write_accounts(path: Path, count: int) -> None:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
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
            pence = annual_charge_pence(n)
            writer.writerow(
                [
                    f"BENCH{n:07d}",
                    "Mx",
                    letters(n % 5000, 4),
                    "Mac" + letters(n, 5),
                    "",
                    f"{n} High Street|Derby",
                    f"DE{n % 99} {n % 9}AB",
                    f"{pence // 100}.{pence % 100:02d}",
                    FIRST_DUE.isoformat(),
                    "10",
                    "CT01",
                ]
            )


class MemorySampler:
    """Peak resident memory of one process (and its children), sampled every 100 ms."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.cpu_seconds = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> MemorySampler:
        self._task = asyncio.create_task(self._sample())
        return self

    async def _sample(self) -> None:
        while True:
            try:
                rss = self.process.memory_info().rss + sum(
                    c.memory_info().rss for c in self.process.children(recursive=True)
                )
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, rss)
            with contextlib.suppress(psutil.NoSuchProcess):
                times = self.process.cpu_times()
                self.cpu_seconds = times.user + times.system
            await asyncio.sleep(0.1)

    def stop(self) -> int:
        if self._task:
            self._task.cancel()
        return self.peak


class ServerCpu:
    """CPU-seconds spent by this benchmark's own PostgreSQL and RabbitMQ (found by their ports), so a phase can be
    reported in CPU as well as wall time: on a machine shared with other work, wall time mostly measures waiting."""

    def __init__(self, amqp_url: str, database_url: str) -> None:
        pg_port = database_url.rsplit(":", 1)[1].split("/")[0]
        amqp_port = amqp_url.rsplit(":", 1)[1].split("/")[0]
        self.processes: list[psutil.Process] = []
        for process in psutil.process_iter(["name", "cmdline"]):
            with contextlib.suppress(psutil.Error):
                command = process.info["cmdline"] or []
                if process.info["name"] == "postgres" and f"-p {pg_port}" in " ".join(command):
                    self.processes.append(process)  # the postmaster: backends are its children
                elif "beam.smp" in (process.info["name"] or "") and (
                    process.environ().get("RABBITMQ_NODE_PORT") == amqp_port
                ):
                    self.processes.append(process)

    def seconds(self) -> float:
        total = 0.0
        for process in self.processes:
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
                for child in process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        child_times = child.cpu_times()
                        total += child_times.user + child_times.system
        return total


def service_environment(amqp_url: str, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "AMQP_URL": amqp_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        # Deliveries in flight per queue: the inbox hands payments over 200 at a time while the next 200 arrive.
        "PREFETCH": os.environ.get("BENCH_PREFETCH", "400"),
        "LOG_FORMAT": "json",
        "BUSINESS_DATE": "2026-05-01",
        # As run-system deploys it: the outbox relay is a process of its own beside the service.
        "RELAY_IN_PROCESS": "false",
    }


async def wait_until(connection: asyncpg.Connection, sql: str, target: int, timeout: float) -> float:
    started = time.perf_counter()
    while (value := await connection.fetchval(sql)) < target:
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{sql} reached {value} of {target} within {timeout}s")
        await asyncio.sleep(0.1)
    return time.perf_counter() - started


@dataclass(frozen=True)
class CommandRun:
    """A `council-debt` command run to completion: wall time, peak RSS, CPU and what it printed."""

    seconds: float
    peak_rss: int
    cpu_seconds: float
    output: str


async def run_command(arguments: list[str], environment: dict[str, str]) -> CommandRun:
    """Run `council-debt <arguments>` as its own process, sampling its memory; raise with its output if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", *arguments],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    sampler = MemorySampler(process.pid).start()
    while process.poll() is None:
        await asyncio.sleep(0.1)
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    output, errors = process.communicate()
    if process.returncode != 0:
        raise RuntimeError((output + errors).decode()[-3000:])
    return CommandRun(seconds, peak, sampler.cpu_seconds, output.decode())


def start_relay(environment: dict[str, str]) -> subprocess.Popen[bytes]:
    """Billing's outbox relay, `council-debt relay billing`."""
    return subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", "relay", "billing"],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def start_service(environment: dict[str, str]) -> subprocess.Popen[bytes]:
    log = tempfile.NamedTemporaryFile(prefix="billing-bench-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "services.billing"],
        cwd=PROJECT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300  # a loaded machine can take minutes to start a process
    while b"service started" not in Path(log.name).read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"billing did not start: {Path(log.name).read_text()[-3000:]}")
        await asyncio.sleep(0.1)
    return process


def stop_service(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(60)


async def queue_payments(amqp_url: str, accounts: int, count: int) -> float:
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
    started = time.perf_counter()
    for offset in range(0, count, 1000):
        messages = []
        for n in range(offset, min(offset + 1000, count)):
            account = n % accounts
            first_instalment = annual_charge_pence(account) - 9 * (
                annual_charge_pence(account) // 10 // 100 * 100
            )
            payment = PaymentReceived(
                channel="direct_debit",
                channel_reference=f"DD-2026-05-{n:07d}",
                amount_pence=first_instalment,
                received_on=date(2026, 5, 1),
                account_reference=f"BENCH{account:07d}",
            )
            body = Envelope.wrap(payment, producer="bank_file").to_bytes()
            messages.append(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT))
        await asyncio.gather(
            *(exchange.publish(m, routing_key=PaymentReceived.message_type) for m in messages)
        )
    elapsed = time.perf_counter() - started
    await connection.close()
    return elapsed


async def main(accounts: int, payments: int, replicas: int) -> None:
    amqp_url, database_url = benchmark_servers()
    environment = service_environment(amqp_url, database_url)
    subprocess.run(
        [sys.executable, "-m", "deploy.cli", "migrate"],
        cwd=PROJECT,
        env=environment,
        check=True,
        capture_output=True,
    )
    database = await asyncpg.connect(asyncpg_dsn(database_url))
    servers = ServerCpu(amqp_url, database_url)
    print(
        f"machine: {psutil.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start "
        f"(other work on the machine competes for the CPUs)"
    )

    with tempfile.TemporaryDirectory() as folder:
        accounts_csv = Path(folder) / "accounts.csv"
        write_accounts(accounts_csv, accounts)
        server_cpu = servers.seconds()
        command = await run_command(
            ["billing", "council-tax-run", str(accounts_csv), "--financial-year", FINANCIAL_YEAR], environment
        )
        run_seconds, run_peak = command.seconds, command.peak_rss
    raised = await database.fetchval(
        "SELECT count(*) FROM billing.debt WHERE requesting_system = 'council_tax_billing_run'"
    )
    lines = await database.fetchval("SELECT count(*) FROM billing.debt_line")
    print(
        f"billing run: {raised:,} council tax accounts ({lines:,} instalments) in {run_seconds:.1f} s "
        f"= {raised / run_seconds:,.0f} accounts/s; peak RSS of the run {run_peak / 2**20:.0f} MB; "
        f"{command.cpu_seconds:.1f} CPU-seconds in the run's process, "
        f"{servers.seconds() - server_cpu:.1f} in PostgreSQL and RabbitMQ; load average {os.getloadavg()[0]:.1f}"
    )

    if not payments:
        await database.close()
        return  # the billing run alone

    relay = start_relay(environment)
    relay_sampler = MemorySampler(relay.pid).start()
    relay_seconds = await wait_until(
        database,
        "SELECT count(*) FROM billing.outbox WHERE published_at IS NOT NULL",
        await database.fetchval("SELECT count(*) FROM billing.outbox"),
        900,
    )
    events = await database.fetchval("SELECT count(*) FROM billing.outbox")
    print(
        f"relay: {events:,} events published in {relay_seconds:.1f} s = {events / relay_seconds:,.0f} events/s "
        "(the relay as its own process)"
    )

    stop_service(await start_service(environment))  # its first start declares its queues
    queued = await queue_payments(amqp_url, accounts, payments)
    print(f"queued {payments:,} payments on the broker in {queued:.1f} s")
    before = await database.fetchval("SELECT count(*) FROM billing.payment")
    started = time.perf_counter()
    server_cpu = servers.seconds()
    services = [await start_service(environment) for _ in range(replicas)]
    samplers = [MemorySampler(service.pid).start() for service in services]
    await wait_until(database, f"SELECT count(*) - {before} FROM billing.payment", payments, 1800)
    server_cpu = servers.seconds() - server_cpu
    payment_seconds = time.perf_counter() - started
    cpu_at_last_payment = sum(sampler.cpu_seconds for sampler in samplers)
    span = await database.fetchval(
        "SELECT extract(epoch FROM max(created_at) - min(created_at)) FROM billing.payment "
        "WHERE channel_reference LIKE 'DD-2026-05-%'"
    )
    allocated = await database.fetchval("SELECT count(*) FROM billing.allocation")
    print(
        f"payments as messages ({replicas} billing replica{'s' if replicas > 1 else ''}, competing consumers): "
        f"{payments:,} applied in {payment_seconds:.1f} s from launching the service "
        f"= {payments / payment_seconds:,.0f} payments/s; first to last commit {float(span):.1f} s "
        f"= {payments / max(float(span), 0.001):,.0f} payments/s; {allocated:,} allocations; "
        f"{cpu_at_last_payment:.1f} CPU-seconds in the service's processes (start-up included), "
        f"{relay_sampler.cpu_seconds:.1f} in the relay, {server_cpu:.1f} in "
        f"PostgreSQL and RabbitMQ; load average {os.getloadavg()[0]:.1f}"
    )
    drained = await wait_until(
        database,
        "SELECT count(*) FROM billing.outbox WHERE published_at IS NOT NULL",
        await database.fetchval("SELECT count(*) FROM billing.outbox"),
        900,
    )
    print(f"relay caught up {drained:.1f} s after the last payment")
    for service in services:
        stop_service(service)
    service_peak = max(sampler.stop() for sampler in samplers)

    # The next month's collection as the bank sends it: one direct debit file, loaded by billing's command.
    with tempfile.TemporaryDirectory() as folder:
        collection = Path(folder) / "dd-2026-06-01.csv"
        write_collection_file(collection, accounts, payments)
        before = await database.fetchval("SELECT count(*) FROM billing.payment")
        server_cpu = servers.seconds()
        loading = await run_command(["billing", "payment-file", str(collection)], environment)
        file_seconds, file_peak, output = loading.seconds, loading.peak_rss, loading.output
    applied = await database.fetchval(f"SELECT count(*) - {before} FROM billing.payment")
    print(
        f"payments as a file: {applied:,} applied in {file_seconds:.1f} s (process start included) "
        f"= {applied / file_seconds:,.0f} payments/s; peak RSS {file_peak / 2**20:.0f} MB; "
        f"{loading.cpu_seconds:.1f} CPU-seconds in the command, {servers.seconds() - server_cpu:.1f} in "
        f"PostgreSQL and RabbitMQ; outcome {output.strip()[:200]}"
    )
    drained = await wait_until(
        database,
        "SELECT count(*) FROM billing.outbox WHERE published_at IS NOT NULL",
        await database.fetchval("SELECT count(*) FROM billing.outbox"),
        900,
    )
    print(f"relay published the file's events {drained:.1f} s after the file was applied")
    relay.terminate()
    relay.wait(60)
    relay_peak = relay_sampler.stop()
    print(
        f"billing service peak RSS (per process): {service_peak / 2**20:.0f} MB; its relay {relay_peak / 2**20:.0f} MB"
    )
    settled = await database.fetchval(
        "SELECT count(*) FROM billing.debt_line WHERE number IN (1, 2) AND outstanding_pence = 0"
    )
    print(
        f"check: {settled:,} first and second instalments paid exactly (of {2 * min(accounts, payments):,})"
    )
    await database.close()


def write_collection_file(path: Path, accounts: int, count: int) -> None:
    """The second instalment of each account, as a direct debit collection file."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["channel", "channel_reference", "amount", "received_on", "account_reference"])
        for n in range(count):
            account = n % accounts
            pence = annual_charge_pence(account) // 10 // 100 * 100
            writer.writerow(
                [
                    "direct_debit",
                    f"DD-2026-06-{n:07d}",
                    f"{pence // 100}.{pence % 100:02d}",
                    "2026-06-01",
                    f"BENCH{account:07d}",
                ]
            )


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:4]]
    asyncio.run(main(*(arguments + [200_000, 200_000, 1][len(arguments) :])))
