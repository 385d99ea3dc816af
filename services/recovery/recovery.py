"""What recovery's handlers need, given to each of them by the runtime: the settings, the council's policies in
force, the business clock and the runtime itself (for the daily run's own transactions). Built by
`services.recovery.bootstrap.bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.recovery.domain.policy import PolicyBook
from services.recovery.settings import RecoverySettings
from services.recovery.stores import RecoveryStores
from shared.clock import BusinessClock, clock
from shared.messaging.inbox_router import Handling
from shared.runtime import ServiceRuntime


@dataclass(frozen=True)
class Recovery:
    """One recovery service: its council's policy book, settings, clock and runtime."""

    settings: RecoverySettings
    policies: PolicyBook
    runtime: ServiceRuntime
    clock: BusinessClock = field(default=clock)

    @property
    def council(self) -> str:
        """The council whose policies this instance follows."""
        return self.settings.council


RecoveryHandling = Handling[RecoveryStores, Recovery]
"""What every recovery handler, HTTP route and daily-run batch works with: stores, outbox, service."""
