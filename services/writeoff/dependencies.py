"""What the write-off service's handlers and routes are given: its settings, runtime, every council's policy and
the business clock. Built by `bootstrap()`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.writeoff.domain import CouncilWriteOffPolicy
from services.writeoff.settings import WriteOffSettings
from shared.clock import BusinessClock

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime


@dataclass(frozen=True)
class WriteOff:
    """One configured write-off service."""

    settings: WriteOffSettings
    runtime: ServiceRuntime
    policies: Mapping[str, CouncilWriteOffPolicy]
    """Every council's reasons and band tables, by council code (`bands/<council>.yaml`)."""
    clock: BusinessClock

    def policy(self, council: str) -> CouncilWriteOffPolicy:
        """The council's write-off policy (KeyError for a council with no bands file)."""
        return self.policies[council]
