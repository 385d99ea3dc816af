"""The agents gateway: secure file exchange with enforcement agents and collection agencies.

Placements, amendments, holds and recalls go out as signed and encrypted files over SFTP; agents' returns come
back the same way and are applied whole or quarantined whole.
"""

from services.agents_gateway import (  # noqa: F401  (each registers its handlers, background work or HTTP routes)
    amendments,
    breathing_space_holds,
    debtors,
    http,
    recalls,
    referrals,
    schedule,
)
from services.agents_gateway.gateway import agents, runtime, settings

__all__ = ["agents", "runtime", "settings"]
