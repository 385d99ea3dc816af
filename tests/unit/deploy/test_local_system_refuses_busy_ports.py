"""run-system and the test servers never use a server they did not start: a port of theirs that another process
holds (a stray PostgreSQL left on 55432, another checkout's system) stops the start at once with a message naming
the port and the process, rather than migrations failing later against someone else's database."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator

import pytest

from deploy.local import infra, system


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port this test process listens on, as a stray server would."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def _profile(port: int) -> infra.InfraProfile:
    return infra.InfraProfile(
        f"unit-busy-{os.getpid()}",
        postgres_port=port,
        amqp_port=port,
        erlang_dist_port=port,
        identity_port=port,
    )


@pytest.mark.parametrize(
    ("start", "what"),
    [
        (infra.start_postgres, "PostgreSQL"),
        (infra.start_rabbitmq, "RabbitMQ"),
        (infra.start_identity_provider, "identity provider"),
    ],
)
def test_a_server_on_the_profile_port_that_this_project_did_not_start_is_refused(
    held_port: int, start: Callable[[infra.InfraProfile], object], what: str
) -> None:
    profile = _profile(held_port)
    with pytest.raises(infra.InfrastructureError) as refusal:
        start(profile)
    message = str(refusal.value)
    assert f"port {held_port}" in message and what in message and "is taken by" in message
    assert not profile.folder.exists(), "nothing made in the profile's folder for a server it cannot use"


def test_the_refusal_names_the_process_holding_the_port(held_port: int) -> None:
    holder = infra.port_holder(held_port)
    assert holder == "a process this user cannot see" or holder.startswith(f"process {os.getpid()}")


def test_a_stray_server_is_not_counted_as_one_of_the_profile_servers(held_port: int) -> None:
    assert infra.servers_running(_profile(held_port)) == set(), (
        "run-system must not stop what it did not start"
    )


def test_run_system_names_every_service_port_already_taken(
    held_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(system.SERVICE_PORTS, "workbench", held_port)
    busy = system.busy_ports(["workbench"])
    assert len(busy) == 1 and busy[0].startswith(f"port {held_port} (workbench) is taken by")
