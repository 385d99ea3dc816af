"""Real RabbitMQ, PostgreSQL and OpenID Connect provider for the whole test session.

Started before collection (service modules read their settings at import): testcontainers when a Docker engine
answers; otherwise this project's own local servers (deploy/local/infra.py, profile "test", wiped fresh);
otherwise AMQP_URL and DATABASE_URL from the environment. Migrations for every service are then applied by the
same code path as `council-debt migrate`. The identity provider (deploy/local/identity_provider.py) always runs
locally on Node.js; tests get real tokens from it through tests/identity.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Every routing key the outboxes publish in the session must be in docs/asyncapi (tests/plugins/).
pytest_plugins = ("tests.plugins.published_routing_keys",)

_started: dict[str, object] = {}


def _docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _start_with_testcontainers() -> tuple[str, str]:
    from testcontainers.postgres import PostgresContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    postgres = PostgresContainer("postgres:15", driver="asyncpg", dbname="council_debt").start()
    rabbit = RabbitMqContainer("rabbitmq:3.13").start()
    _started["containers"] = (postgres, rabbit)
    _create_broker_users(rabbit)
    amqp = f"amqp://guest:guest@{rabbit.get_container_host_ip()}:{rabbit.get_exposed_port(5672)}/"
    return amqp, postgres.get_connection_url()


def _create_broker_users(rabbit: object) -> None:
    """The platform's broker users in a RabbitMQ container, as deploy/local/infra.py makes them locally."""
    import json
    import secrets
    import tempfile

    from shared.broker_identity import EVENTS_EXCHANGE, broker_permissions, broker_users

    passwords = {user: secrets.token_urlsafe(24) for user in broker_users()}
    for user, password in passwords.items():
        allowed = broker_permissions(user)
        for command in (
            ["rabbitmqctl", "add_user", user, password],
            [
                "rabbitmqctl",
                "set_permissions",
                "-p",
                "/",
                user,
                allowed.configure,
                allowed.write,
                allowed.read,
            ],
            [
                "rabbitmqctl",
                "set_topic_permissions",
                "-p",
                "/",
                user,
                EVENTS_EXCHANGE,
                allowed.publish_topics,
                ".*",
            ],
        ):
            rabbit.exec(command)  # type: ignore[attr-defined]
    file = Path(tempfile.mkdtemp()) / "broker-passwords.json"
    file.write_text(json.dumps(passwords))
    os.environ["BROKER_PASSWORDS_FILE"] = str(file)


def _start_locally() -> tuple[str, str]:
    from deploy.local import infra

    profile = infra.start(infra.ephemeral_profile(), fresh=True)
    _started["local"] = profile
    os.environ["BROKER_PASSWORDS_FILE"] = str(profile.broker_passwords_file)  # each service as its own user
    return profile.amqp_url, profile.database_url


def _start_identity_provider() -> None:
    from deploy.local import identity_provider, infra

    profile = _started.get("local")
    if not isinstance(profile, infra.InfraProfile):  # testcontainers: the provider still runs on this machine
        profile = infra.ephemeral_profile("identity")
        _started["identity"] = profile
        infra.start_identity_provider(profile)
    os.environ.update(identity_provider.environment(profile.folder, profile.issuer))


def _only_unit_tests(config: pytest.Config) -> bool:
    unit = (Path(__file__).parent / "unit").resolve()
    chosen = [Path(str(arg).split("::")[0]).resolve() for arg in config.args] or [Path(__file__).parent]
    return all(path == unit or unit in path.parents for path in chosen)


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or _only_unit_tests(config):
        return  # unit tests are pure domain: no servers
    if _docker_answers():
        amqp_url, database_url = _start_with_testcontainers()
    else:
        try:
            amqp_url, database_url = _start_locally()
        except Exception as error:
            if not (os.environ.get("AMQP_URL") and os.environ.get("DATABASE_URL")):
                raise pytest.UsageError(f"no RabbitMQ/PostgreSQL for the tests: {error}") from error
            amqp_url, database_url = os.environ["AMQP_URL"], os.environ["DATABASE_URL"]
    os.environ["AMQP_URL"] = amqp_url
    os.environ["DATABASE_URL"] = database_url
    _start_identity_provider()
    os.environ.setdefault("LOG_FORMAT", "console")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    from shared.persistence import migrations

    migrations.upgrade(database_url)


def pytest_unconfigure(config: pytest.Config) -> None:
    if "local" in _started:
        from deploy.local import infra

        infra.stop(_started["local"], remove_data=True)  # type: ignore[arg-type]
    if "identity" in _started:
        from deploy.local import identity_provider

        identity_provider.stop(_started["identity"].folder)  # type: ignore[attr-defined]
    for container in _started.get("containers", ()):  # type: ignore[union-attr]
        container.stop()
