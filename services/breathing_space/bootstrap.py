"""Breathing space put together: settings, the council's rules, the runtime, every inbox handler, the raw
notifications queue, the background work and the HTTP app. `python -m services.breathing_space`, the command
line and the tests call `bootstrap()`; nothing is built at import, so two services with different settings (or
rules) can live in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from services.breathing_space import confirmations, customers_and_debts, expiry
from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.confirmations import watch_for_unconfirmed_work
from services.breathing_space.expiry import check_for_ended_moratoria
from services.breathing_space.https_endpoint import breathing_space_app
from services.breathing_space.notification_queue import (
    declare_dead_letter_queue,
    subscribe_to_notifications_queue,
)
from services.breathing_space.outbound_reports import write_outbound_reports
from services.breathing_space.settings import BreathingSpaceSettings, load_rules
from services.breathing_space.stores import BreathingSpaceStores
from services.breathing_space.watched_folder import watch_inbound_folder
from shared.clock import clock
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    CreditorReviewRequested,
    DebtsReportedBack,
)
from shared.runtime import BackgroundTask, ServiceRuntime
from shared.settings import PlatformSettings

DESCRIPTION = (
    "Debt Respite Scheme moratoria: Insolvency Service notifications in (HTTPS, folder, queue), the search "
    "for every debt owed, holds broadcast to recovery, billing and the agents gateway, debts reported back."
)

ROUTERS = (customers_and_debts.router, confirmations.router, expiry.router)
"""Every part of breathing space that handles messages from the bus."""

BACKGROUND_WORK: tuple[Callable[[BreathingSpace], Coroutine[Any, Any, None]], ...] = (
    check_for_ended_moratoria,
    watch_for_unconfirmed_work,
    declare_dead_letter_queue,
    watch_inbound_folder,
    write_outbound_reports,
)
"""What runs beside the consumers: the expiry check, the watch for unconfirmed work, the dead-letter queue of
the notifications queue, the watched folder and the outbound folder."""


def _given(
    service: BreathingSpace, work: Callable[[BreathingSpace], Coroutine[Any, Any, None]]
) -> BackgroundTask:
    async def run(_runtime: ServiceRuntime) -> None:
        await work(service)

    run.__name__ = run.__qualname__ = work.__name__
    return run


def bootstrap(
    settings: BreathingSpaceSettings | None = None,
    *,
    platform: PlatformSettings | None = None,
    **overrides: Any,
) -> BreathingSpace:
    """A breathing space service ready to start: its settings (given, or read from the environment with
    `overrides`), the council's rules (read and checked now: a bad rules file refuses to start), its runtime with
    every handler, subscriber, background task and route."""
    settings = settings or BreathingSpaceSettings(**overrides)
    rules = load_rules(settings)
    runtime = ServiceRuntime("breathing_space", description=DESCRIPTION, settings=platform)
    runtime.document_publication(
        BreathingSpaceHoldStarted,
        BreathingSpaceDebtsAdded,
        BreathingSpaceHoldEnded,
        DebtsReportedBack,
        CreditorReviewRequested,
    )
    service = BreathingSpace(settings=settings, runtime=runtime, rules=rules, clock=clock)
    # Work waiting, on /metrics: hold broadcasts not yet confirmed by all of billing, recovery and the agents
    # gateway (a statutory hold not in force everywhere), and possible matches for an officer to decide.
    runtime.watch_tray(
        "holds_unconfirmed",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(broadcast_at)), 0) FROM ("
        " SELECT b.broadcast_at FROM breathing_space.hold_broadcast b"
        " LEFT JOIN breathing_space.hold_confirmation c"
        "   ON c.moratorium_reference = b.moratorium_reference AND c.hold_version = b.hold_version"
        " GROUP BY b.moratorium_reference, b.hold_version, b.broadcast_at"
        " HAVING count(DISTINCT c.service) < 3) waiting",
    )
    runtime.watch_tray(
        "pending_matches",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(queued_at)), 0) "
        "FROM breathing_space.pending_match WHERE decision IS NULL",
    )
    for router in ROUTERS:
        runtime.include(router, stores=BreathingSpaceStores.on, service=service)
    subscribe_to_notifications_queue(service)
    runtime.background.extend(_given(service, work) for work in BACKGROUND_WORK)
    runtime.http_app = breathing_space_app(service)
    return service
