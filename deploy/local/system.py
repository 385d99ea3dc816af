"""The whole system on one machine: servers, migrations, every service as its own process, and the demo council.

Services are separate operating-system processes, exactly as they run in production, each with its log in
`var/system/logs/`; each service's outbox relay runs as a process of its own beside it (RELAY_IN_PROCESS=false),
and the development agents' SFTP servers (`services.agents_gateway.simulator`) beside the agents gateway.
Ctrl-C (or SIGTERM to its process group) stops them cleanly, and then the servers this run started (PostgreSQL,
RabbitMQ, the identity provider), so nothing is left behind; servers that already ran (`council-debt infra-up`
first, to keep them between runs) are left running. A port the system needs that something else holds stops the
start at once with a message naming the process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from deploy.local import infra

SERVICE_PORTS = {
    "billing": 8101,
    "recovery": 8102,
    "breathing_space": 8103,
    "agents_gateway": 8104,
    "writeoff": 8105,
    "workbench": 8106,
}
WITHOUT_RELAY = {"workbench"}
AGENTS_SIMULATOR_PORTS = (8022, 8023)
"""The development agents' SFTP servers (services/agents_gateway/config/development_agents.yaml)."""
"""Processes with no outbox of their own (the workbench only calls the services' HTTP APIs)."""


BROWSER_CLIENTS = {"writeoff": "writeoff-approvals", "workbench": "workbench"}
"""The services with pages people sign in to, and their client at the identity provider."""


def services_present() -> list[str]:
    """Services that exist in this checkout (each run as `python -m services.<name>`)."""
    return [s for s in SERVICE_PORTS if (infra.PROJECT_ROOT / "services" / s / "__main__.py").exists()]


def system_environment(profile: infra.InfraProfile) -> dict[str, str]:
    """The environment every service process of the local system gets."""
    return {
        **os.environ,
        "AMQP_URL": profile.amqp_url,
        "BROKER_PASSWORDS_FILE": str(profile.broker_passwords_file),  # each service connects as its own user
        "DATABASE_URL": profile.database_url,
        **profile.auth_environment,  # the local identity provider: every HTTP call needs one of its tokens
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "PYTHONUNBUFFERED": "1",
    }


def start_service(name: str, environment: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """Start `python -m services.<name>` and wait until it is consuming."""
    log_file = logs / f"{name}.log"
    with open(log_file, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            cwd=infra.PROJECT_ROOT,
            env={
                **environment,
                "HTTP_PORT": str(SERVICE_PORTS[name]),
                **({"AUTH_CLIENT_ID": BROWSER_CLIENTS[name]} if name in BROWSER_CLIENTS else {}),
            },
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start-up; see {log_file}:\n{log_file.read_text()[-3000:]}")
        if b"service started" in log_file.read_bytes():
            return process
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not start within 60s; see {log_file}")


def start_relay(name: str, environment: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """The service's outbox relay as its own process, so publishing never competes with consuming."""
    with open(logs / f"{name}-relay.log", "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "deploy.cli", "relay", name],
            cwd=infra.PROJECT_ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def start_agents_simulator(environment: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """The development agents (their SFTP servers and a simulated agent answering placements and recalls), so the
    agents gateway has someone to send files to and fetch returns from."""
    with open(logs / "agents-simulator.log", "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "services.agents_gateway.simulator"],
            cwd=infra.PROJECT_ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def busy_ports(names: list[str]) -> list[str]:
    """The ports the services (and the simulated agents) need that something already listens on, each with who."""
    wanted = [(SERVICE_PORTS[name], name) for name in names]
    if "agents_gateway" in names:
        wanted += [(port, "simulated agent SFTP") for port in AGENTS_SIMULATOR_PORTS]
    return [
        f"port {port} ({what}) is taken by {infra.port_holder(port)}"
        for port, what in wanted
        if infra.port_in_use(port)
    ]


def stop_servers(profile: infra.InfraProfile, which: set[str]) -> None:
    """Stop the named servers of `profile` (those this run started)."""
    from deploy.local import identity_provider

    if "identity provider" in which:
        identity_provider.stop(profile.folder)
    if "rabbitmq" in which:
        infra.stop_rabbitmq(profile)
    if "postgres" in which:
        infra.stop_postgres(profile)


def run_system(load_demo: bool = True) -> None:
    """Bring everything up and keep it running until interrupted; then stop what this run started."""
    from shared.persistence import migrations

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    # From the start, so a stop asked for while starting still stops what was started.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    names = services_present()
    busy = busy_ports(names)
    if busy:
        raise SystemExit(
            "run-system cannot start: " + "; ".join(busy) + ". Stop those processes (a run-system already "
            "running: Ctrl-C it) and start again."
        )
    already_running = infra.servers_running(infra.SYSTEM)
    try:
        profile = infra.start(infra.SYSTEM)
    except infra.InfrastructureError as refusal:
        stop_servers(infra.SYSTEM, infra.servers_running(infra.SYSTEM) - already_running)
        raise SystemExit(f"run-system cannot start: {refusal}") from None
    started_here = infra.servers_running(profile) - already_running
    environment = {**system_environment(profile), "RELAY_IN_PROCESS": "false"}
    logs = profile.folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    relays: dict[str, subprocess.Popen[bytes]] = {}
    helpers: list[subprocess.Popen[bytes]] = []  # the simulated agents and the demo council
    try:
        print(f"RabbitMQ  {profile.amqp_url}\nPostgreSQL {profile.database_url}", flush=True)
        migrated = migrations.upgrade(profile.database_url)
        print(f"migrations applied: {', '.join(migrated)}", flush=True)
        if "agents_gateway" in names:
            helpers.append(start_agents_simulator(environment, logs))
            print(
                f"{'agents':16} simulated  SFTP on {AGENTS_SIMULATOR_PORTS}  log {logs / 'agents-simulator.log'}"
            )
        for name in names:
            if stopping:
                break
            if name not in WITHOUT_RELAY:
                relays[name] = start_relay(name, environment, logs)
            processes[name] = start_service(name, environment, logs)
            print(
                f"{name:16} running  http://127.0.0.1:{SERVICE_PORTS[name]}/docs  log {logs / (name + '.log')}",
                flush=True,
            )
        if load_demo and not stopping:
            helpers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "deploy.local.demo_council"],
                    cwd=infra.PROJECT_ROOT,
                    env=environment,
                )
            )
        print("system running; Ctrl-C to stop", flush=True)
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} exited ({process.returncode}); restarting", flush=True)
                    processes[name] = start_service(name, environment, logs)
            for name, relay in relays.items():
                if relay.poll() is not None:
                    print(f"{name} relay exited ({relay.returncode}); restarting", flush=True)
                    relays[name] = start_relay(name, environment, logs)
            time.sleep(1)
    finally:
        everything = [*helpers, *processes.values(), *relays.values()]
        for process in everything:
            if process.poll() is None:
                process.terminate()
        for process in everything:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        print("services stopped", flush=True)
        stop_servers(profile, started_here)
        kept = infra.servers_running(profile)
        if started_here:
            print(f"stopped what this run started: {', '.join(sorted(started_here))}", flush=True)
        if kept:
            print(
                f"still running (they ran before this start): {', '.join(sorted(kept))}; "
                "`.venv/bin/council-debt infra-down` stops them",
                flush=True,
            )
