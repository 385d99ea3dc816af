"""What billing's handlers need, given to each of them by the runtime: the settings, the council's billing
rules, the business clock and the runtime itself (for work not caused by a delivery: HTTP, files, the annual
run). Built by `services.billing.bootstrap.bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.billing.domain.billing_rules import BillingRules
from services.billing.settings import BillingSettings
from services.billing.stores import BillingStores
from shared.clock import BusinessClock, clock
from shared.messaging.inbox_router import Handling
from shared.runtime import ServiceRuntime


@dataclass(frozen=True)
class Billing:
    """One billing service: its council's billing rules, settings, clock and runtime."""

    settings: BillingSettings
    rules: BillingRules
    runtime: ServiceRuntime
    clock: BusinessClock = field(default=clock)


BillingHandling = Handling[BillingStores, Billing]
"""What every billing handler, HTTP route, file load and billing run works with: stores, outbox, service."""
