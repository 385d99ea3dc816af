"""`bootstrap()` puts the whole gateway together (every handler, the background work and HTTP), and
`python -m services.agents_gateway` runs what it built; two gateways built with different settings are two
independent services."""

from __future__ import annotations

import runpy
from pathlib import Path
from unittest import mock

from services.agents_gateway.bootstrap import bootstrap
from shared.runtime import ServiceRuntime

CONSUMED = {
    "recovery.case.referred",
    "recovery.recall.requested",
    "breathing_space.hold.started",
    "breathing_space.hold.debts_added",
    "breathing_space.hold.ended",
    "billing.balances.changed",
    "billing.payment.allocated",
    "billing.customer.registered",
    "billing.customer.amended",
}


def test_bootstrap_assembles_every_handler_the_background_work_and_http() -> None:
    gateway = bootstrap()
    runtime = gateway.runtime
    assert {queue.routing_key for queue in runtime.inbox.queues} >= CONSUMED
    assert {queue.name for queue in runtime.inbox.queues} >= {f"agents_gateway.{key}" for key in CONSUMED}
    assert [task.__name__ for task in runtime.background] == [
        "urgent_sender",
        "scheduled_batches",
        "outbox_poller",
    ]
    assert runtime.http_app is not None and runtime.http_app.state.service is gateway


def test_the_process_entry_point_runs_the_service_bootstrap_built() -> None:
    with mock.patch.object(ServiceRuntime, "main") as main:
        runpy.run_module("services.agents_gateway", run_name="__main__")
    main.assert_called_once()


def test_two_gateways_with_different_settings_live_side_by_side(tmp_path: Path) -> None:
    derby = bootstrap(liability_order_court="Derby Magistrates' Court", registry_path=tmp_path / "derby.yaml")
    leicester = bootstrap(liability_order_court="Leicester Magistrates' Court", poll_agents=False)
    assert derby.settings.liability_order_court == "Derby Magistrates' Court"
    assert leicester.settings.liability_order_court == "Leicester Magistrates' Court"
    assert derby.settings.poll_agents and not leicester.settings.poll_agents
    assert (
        derby.agents is not leicester.agents
        and derby.agents.settings.registry_path == tmp_path / "derby.yaml"
    )
    assert derby.runtime is not leicester.runtime and derby.runtime.http_app is not leicester.runtime.http_app
