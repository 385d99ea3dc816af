"""`python -m services.agents_gateway` runs the whole gateway: every handler, the background work and HTTP."""

from __future__ import annotations

import runpy
from unittest import mock


def test_the_process_entry_point_runs_the_assembled_service() -> None:
    from services.agents_gateway.service import runtime

    with mock.patch.object(type(runtime), "main") as main:
        runpy.run_module("services.agents_gateway", run_name="__main__")
    main.assert_called_once()
    consumed = {queue.routing_key for queue in runtime.inbox.queues}
    assert {
        "recovery.case.referred",
        "recovery.recall.requested",
        "breathing_space.hold.started",
        "breathing_space.hold.debts_added",
        "breathing_space.hold.ended",
        "billing.balance.changed",
        "billing.payment.allocated",
        "billing.customer.registered",
    } <= consumed
    assert runtime.http_app is not None and len(runtime.background) == 3
