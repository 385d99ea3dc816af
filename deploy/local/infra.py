"""RabbitMQ and PostgreSQL for this project, started in a data folder of its own.

Nothing here touches a system-wide server: each profile ("system" for the running platform, "test" for the test
suite) has its own ports and its own folder under `var/`, so tests never depend on, or disturb, a server someone
started by hand. When the servers are not installed they are installed from Debian's packages.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from deploy.local import identity_provider

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class InfraProfile:
    """Where and on which ports one set of servers runs."""

    name: str
    postgres_port: int
    amqp_port: int
    erlang_dist_port: int
    identity_port: int = 0

    @property
    def folder(self) -> Path:
        return PROJECT_ROOT / "var" / self.name

    @property
    def database_url(self) -> str:
        return f"postgresql+asyncpg://council@127.0.0.1:{self.postgres_port}/council_debt"

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    @property
    def broker_passwords_file(self) -> Path:
        """Each broker user's password for this profile (the services' BROKER_PASSWORDS_FILE)."""
        return self.folder / "broker-passwords.json"

    @property
    def issuer(self) -> str:
        """The local identity provider's issuer URL for this profile."""
        return f"http://127.0.0.1:{self.identity_port}"

    @property
    def auth_environment(self) -> dict[str, str]:
        """AUTH_ISSUER, AUTH_AUDIENCE and AUTH_CLIENTS_FILE for services and tests of this profile."""
        return identity_provider.environment(self.folder, self.issuer)

    @property
    def rabbit_node(self) -> str:
        return f"council-{self.name}@localhost"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ephemeral_profile(prefix: str = "test") -> InfraProfile:
    """A profile of its own for one test session: free ports and a private folder, so concurrent sessions on one
    machine never share (or wipe) each other's servers."""
    return InfraProfile(
        f"{prefix}-{os.getpid()}",
        postgres_port=_free_port(),
        amqp_port=_free_port(),
        erlang_dist_port=_free_port(),
        identity_port=_free_port(),
    )


SYSTEM = InfraProfile(
    "system", postgres_port=55432, amqp_port=5682, erlang_dist_port=25682, identity_port=9610
)
BENCHMARK = InfraProfile(
    "benchmark", postgres_port=55442, amqp_port=5692, erlang_dist_port=25692, identity_port=9620
)
PROFILES = {p.name: p for p in (SYSTEM, BENCHMARK)}


class InfrastructureError(RuntimeError):
    """The local servers could not be installed or started; the message says why."""


def _run(
    cmd: list[str], *, as_user: str | None = None, env: dict[str, str] | None = None, check: bool = True
):
    if as_user and os.geteuid() == 0:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    return subprocess.run(cmd, env=env, check=check, capture_output=True, text=True)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def port_in_use(port: int) -> bool:
    """Something listens on `port` on 127.0.0.1."""
    return _port_open(port)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's (the servers run as postgres and rabbitmq)
        return True
    return True


def _pid_in(path: Path) -> int | None:
    """The process id on the first line of a pid file, when there is one."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(path.read_text().split()[0])
    return None


def port_holder(port: int) -> str:
    """Which process listens on `port` on this machine, as `ss` tells it (for messages naming a busy port)."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        listing = subprocess.run(
            ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
        for pid in re.findall(r"pid=(\d+)", listing):
            with contextlib.suppress(OSError):
                command = (
                    Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
                return f"process {pid} ({command.strip()[:200]})"
            return f"process {pid}"
    return "a process this user cannot see"


def _postgres_is_ours(profile: InfraProfile) -> bool:
    """This profile's own PostgreSQL runs: its data folder's postmaster.pid names a live server on its port."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        lines = (profile.folder / "postgres" / "data" / "postmaster.pid").read_text().splitlines()
        return lines[3].strip() == str(profile.postgres_port) and _pid_alive(int(lines[0]))
    return False


def _rabbitmq_is_ours(profile: InfraProfile) -> bool:
    """This profile's own RabbitMQ node runs (its pid file names a live process)."""
    pid = _pid_in(profile.folder / "rabbitmq" / "rabbitmq.pid")
    return pid is not None and _pid_alive(pid)


def _identity_provider_is_ours(profile: InfraProfile) -> bool:
    pid = _pid_in(profile.folder / "identity-provider.pid")
    return pid is not None and _pid_alive(pid)


def _refuse_foreign_server(profile: InfraProfile, port: int, what: str) -> None:
    """A server on the profile's port that this project did not start there (a stray PostgreSQL someone ran by
    hand, another checkout's system): using it would fail later in ways that name neither, so say so now."""
    raise InfrastructureError(
        f"port {port}, where the {profile.name!r} profile's {what} runs, is taken by {port_holder(port)}, which is "
        f"not the {what} this project started in {profile.folder}. Stop it (a stray PostgreSQL: "
        "`pg_ctl -D <its data folder> stop` as its owner; another checkout's system: its "
        "`council-debt infra-down`) or free the port, then start again."
    )


def servers_running(profile: InfraProfile) -> set[str]:
    """Which of this profile's own servers run now: "postgres", "rabbitmq", "identity provider"."""
    running = set()
    if _port_open(profile.postgres_port) and _postgres_is_ours(profile):
        running.add("postgres")
    if _port_open(profile.amqp_port) and _rabbitmq_is_ours(profile):
        running.add("rabbitmq")
    if profile.identity_port and _port_open(profile.identity_port) and _identity_provider_is_ours(profile):
        running.add("identity provider")
    return running


def _wait_for_port(port: int, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _port_open(port):
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
    raise InfrastructureError(f"{what} did not open port {port} within {timeout:.0f}s. Log tail:\n{tail}")


def _apt_install(*packages: str) -> None:
    if os.geteuid() != 0:
        raise InfrastructureError(f"{', '.join(packages)} missing and not root: install them with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env, capture_output=True)


def _postgres_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        _apt_install("postgresql")
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise InfrastructureError("postgresql installed but no pg_ctl found under /usr/lib/postgresql")
    # Debian's package starts a cluster of its own on 5432; ours runs beside it and never uses it.
    return Path(candidates[-1]).parent


def _rabbit_bin() -> Path:
    if not Path("/usr/sbin/rabbitmq-server").exists():
        _apt_install("rabbitmq-server")
        # The package may start its own node; ours is separate (own node name, ports and folder).
    return Path("/usr/sbin")


def _own_folder(path: Path, user: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, user, user)


def start_postgres(profile: InfraProfile, *, fresh: bool = False) -> None:
    """Start PostgreSQL for `profile` (initialising its cluster on first use) and create the database."""
    bin_dir = _postgres_bin()
    folder = profile.folder / "postgres"
    data, sockets, log = folder / "data", folder / "run", folder / "postgres.log"
    if _port_open(profile.postgres_port):
        if not _postgres_is_ours(profile):
            _refuse_foreign_server(profile, profile.postgres_port, "PostgreSQL")
        if not fresh:
            return
        stop_postgres(profile)
    if fresh and data.exists():
        shutil.rmtree(data)
    for path in (folder, sockets):
        _own_folder(path, "postgres")
    if not (data / "PG_VERSION").exists():
        _own_folder(data, "postgres")
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "council", "--auth=trust", "-E", "UTF8"],
            as_user="postgres",
        )
    options = (
        f"-p {profile.postgres_port} -k {sockets} -c listen_addresses=127.0.0.1 -c max_connections=300"
        " -c shared_buffers=256MB"
    )
    result = _run(
        [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
        as_user="postgres",
        check=False,
    )
    if result.returncode != 0:
        raise InfrastructureError(f"PostgreSQL did not start: {result.stderr or result.stdout}")
    _wait_for_port(profile.postgres_port, 30, "PostgreSQL", log)
    exists = _run(
        [
            str(bin_dir / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(profile.postgres_port),
            "-U",
            "council",
            "-d",
            "postgres",
            "-tAc",
            "SELECT 1 FROM pg_database WHERE datname='council_debt'",
        ]
    )
    if exists.stdout.strip() != "1":
        _run(
            [
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(profile.postgres_port),
                "-U",
                "council",
                "council_debt",
            ]
        )


def stop_postgres(profile: InfraProfile) -> None:
    """Stop this profile's PostgreSQL if it runs."""
    data = profile.folder / "postgres" / "data"
    if (data / "postmaster.pid").exists():
        _run(
            [str(_postgres_bin() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            as_user="postgres",
            check=False,
        )


def _rabbit_env(profile: InfraProfile) -> dict[str, str]:
    folder = profile.folder / "rabbitmq"
    return {
        **os.environ,
        "RABBITMQ_NODENAME": profile.rabbit_node,
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(profile.amqp_port),
        "RABBITMQ_DIST_PORT": str(profile.erlang_dist_port),
        "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
        "RABBITMQ_LOG_BASE": str(folder / "log"),
        "RABBITMQ_PID_FILE": str(folder / "rabbitmq.pid"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
        "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq"),
        "RABBITMQ_CTL_DIST_PORT_MIN": str(profile.erlang_dist_port + 1),
        "RABBITMQ_CTL_DIST_PORT_MAX": str(profile.erlang_dist_port + 10),
        "HOME": "/var/lib/rabbitmq" if os.geteuid() == 0 else os.environ.get("HOME", "/tmp"),
    }


def start_rabbitmq(profile: InfraProfile, *, fresh: bool = False) -> None:
    """Start a RabbitMQ node for `profile` with its own node name, ports and data folder."""
    bin_dir = _rabbit_bin()
    folder = profile.folder / "rabbitmq"
    if _port_open(profile.amqp_port):
        if not _rabbitmq_is_ours(profile):
            _refuse_foreign_server(profile, profile.amqp_port, "RabbitMQ")
        if not fresh:
            return
        stop_rabbitmq(profile)
    if fresh and (folder / "mnesia").exists():
        shutil.rmtree(folder / "mnesia")
    for sub in ("", "mnesia", "log"):
        _own_folder(folder / sub, "rabbitmq")
    (folder / "enabled_plugins").write_text("[].\n")
    definitions = _write_broker_definitions(profile, folder)
    (folder / "rabbitmq.conf").write_text(
        "loopback_users = none\n"
        "definitions.import_backend = local_filesystem\n"
        f"definitions.local.path = {definitions}\n"
        "disk_free_limit.absolute = 200MB\n"
        "vm_memory_high_watermark.relative = 0.3\n"
        "log.console = false\n"
        "log.file.level = warning\n"
    )
    for path in (folder / "enabled_plugins", folder / "rabbitmq.conf", definitions):
        if os.geteuid() == 0:
            shutil.chown(path, "rabbitmq", "rabbitmq")
    env = _rabbit_env(profile)
    log = folder / "log" / "startup.log"
    cmd = [str(bin_dir / "rabbitmq-server")]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "rabbitmq", "--", *cmd]
    with open(log, "ab") as out:
        subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    _wait_for_port(profile.amqp_port, 90, "RabbitMQ", log)


def _password_hash(password: str) -> str:
    # RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), a 4-byte salt.
    salt = secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def _write_broker_definitions(profile: InfraProfile, folder: Path) -> Path:
    """The broker users the platform needs, each allowed to publish only its own routing keys, loaded by the
    node at boot; their passwords kept (0600) for the services of this profile. `guest` stays for the test
    harness and the operator of a local system; no deployment has it."""
    from shared.broker_identity import DEAD_LETTER_TRAY, broker_permissions, broker_users, tray_permissions

    passwords_file = profile.broker_passwords_file
    passwords = json.loads(passwords_file.read_text()) if passwords_file.exists() else {}
    for user in [*broker_users(), DEAD_LETTER_TRAY]:
        passwords.setdefault(user, secrets.token_urlsafe(24))
    passwords_file.parent.mkdir(parents=True, exist_ok=True)
    passwords_file.touch(mode=0o600)
    passwords_file.write_text(json.dumps(passwords, indent=2))
    users = [{"name": "guest", "password_hash": _password_hash("guest"), "tags": ["administrator"]}]
    permissions = [{"user": "guest", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]
    topic_permissions = []
    for user in broker_users():
        allowed = broker_permissions(user)
        users.append({"name": user, "password_hash": _password_hash(passwords[user]), "tags": []})
        permissions.append(
            {
                "user": user,
                "vhost": "/",
                "configure": allowed.configure,
                "write": allowed.write,
                "read": allowed.read,
            }
        )
        topic_permissions.append(
            {
                "user": user,
                "vhost": "/",
                "exchange": "council.events",
                "write": allowed.publish_topics,
                "read": ".*",
            }
        )
    tray = tray_permissions()
    users.append(
        {
            "name": DEAD_LETTER_TRAY,
            "password_hash": _password_hash(passwords[DEAD_LETTER_TRAY]),
            "tags": ["impersonator"],
        }
    )
    permissions.append(
        {
            "user": DEAD_LETTER_TRAY,
            "vhost": "/",
            "configure": tray.configure,
            "write": tray.write,
            "read": tray.read,
        }
    )
    definitions = {
        "users": [{**u, "hashing_algorithm": "rabbit_password_hashing_sha256"} for u in users],
        "vhosts": [{"name": "/"}],
        "permissions": permissions,
        "topic_permissions": topic_permissions,
    }
    path = folder / "definitions.json"
    path.write_text(json.dumps(definitions, indent=2))
    return path


def stop_rabbitmq(profile: InfraProfile) -> None:
    """Stop this profile's RabbitMQ node if it runs."""
    env = _rabbit_env(profile)
    if Path("/usr/sbin/rabbitmqctl").exists():
        _run(
            ["/usr/sbin/rabbitmqctl", "-n", profile.rabbit_node, "stop"],
            as_user="rabbitmq",
            env=env,
            check=False,
        )
    pid_file = profile.folder / "rabbitmq" / "rabbitmq.pid"
    if pid_file.exists():
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.kill(int(pid_file.read_text().strip()), 15)
    deadline = time.monotonic() + 30
    while _port_open(profile.amqp_port) and time.monotonic() < deadline:
        time.sleep(0.2)


def start(profile: InfraProfile, *, fresh: bool = False) -> InfraProfile:
    """Start PostgreSQL, RabbitMQ and the identity provider for `profile`; `fresh` wipes their data first (the
    test suite does)."""
    start_postgres(profile, fresh=fresh)
    start_rabbitmq(profile, fresh=fresh)
    start_identity_provider(profile)
    return profile


def start_identity_provider(profile: InfraProfile) -> str:
    """The profile's OpenID Connect provider (deploy/local/identity_provider.py); returns its issuer."""
    if not profile.identity_port:
        raise InfrastructureError(f"profile {profile.name} has no identity provider port")
    if _port_open(profile.identity_port) and not _identity_provider_is_ours(profile):
        _refuse_foreign_server(profile, profile.identity_port, "identity provider")
    return identity_provider.start(profile.folder, profile.identity_port)


def stop(profile: InfraProfile, *, remove_data: bool = False) -> None:
    """Stop both servers for `profile` (and delete its folder when asked: ephemeral test profiles)."""
    identity_provider.stop(profile.folder)
    stop_rabbitmq(profile)
    stop_postgres(profile)
    if remove_data:
        shutil.rmtree(profile.folder, ignore_errors=True)
