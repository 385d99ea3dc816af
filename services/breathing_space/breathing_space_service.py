"""What breathing space's handlers, routes and background work are given: the running service's dependencies.

Built by `bootstrap()`; nothing here is created at import, so two differently configured services can live in
one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from services.breathing_space.domain.settings import BreathingSpaceRules
from services.breathing_space.settings import BreathingSpaceSettings
from services.breathing_space.stores import BreathingSpaceStores
from shared.clock import BusinessClock
from shared.messaging.inbox_router import Handling, InboxRouter
from shared.runtime import ServiceRuntime


@dataclass(frozen=True)
class BreathingSpace:
    """One breathing space service: its settings, its runtime, the council's rules and the business clock."""

    settings: BreathingSpaceSettings
    runtime: ServiceRuntime
    rules: BreathingSpaceRules
    clock: BusinessClock


BreathingSpaceHandling: TypeAlias = Handling[BreathingSpaceStores, BreathingSpace]
"""What a handler (or a route, or background work) of breathing space is given for one transaction."""


def breathing_space_router() -> InboxRouter[BreathingSpaceStores, BreathingSpace]:
    """A router for one part of breathing space's inbox handlers."""
    return InboxRouter[BreathingSpaceStores, BreathingSpace]()
