"""Bookkeeping for hold broadcasts: which services must confirm each one, and which have not
confirmed within the allowed time (those become alerts on the status page and in the logs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

CONFIRMING_SERVICES: frozenset[str] = frozenset({"recovery", "billing", "agents_gateway"})
DEFAULT_CONFIRMATION_WINDOW = timedelta(minutes=5)


class HoldChange(StrEnum):
    """What a broadcast tells the other services."""

    STARTED = "started"
    DEBTS_ADDED = "debts_added"
    RESTATED = "restated"  # hold.started again: a revised end date, or back in force after an end was revised
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class HoldBroadcast:
    """One broadcast of a hold change and who has confirmed it."""

    broadcast_id: str
    moratorium_reference: str
    change: HoldChange
    broadcast_at: datetime
    must_confirm: frozenset[str] = CONFIRMING_SERVICES
    confirmed_by: Mapping[str, datetime] = field(default_factory=dict)

    @property
    def awaiting(self) -> frozenset[str]:
        """Services that have not confirmed yet."""
        return self.must_confirm - self.confirmed_by.keys()

    @property
    def fully_confirmed(self) -> bool:
        """Every service has confirmed."""
        return not self.awaiting

    def confirm(self, service: str, at: datetime) -> HoldBroadcast:
        """Record a confirmation; a repeat keeps the first time, an unexpected service is ignored."""
        if service not in self.must_confirm or service in self.confirmed_by:
            return self
        return replace(self, confirmed_by={**self.confirmed_by, service: at})


@dataclass(frozen=True)
class UnconfirmedHold:
    """An alert: a broadcast some service has not confirmed within the allowed time."""

    broadcast_id: str
    moratorium_reference: str
    change: HoldChange
    awaiting: tuple[str, ...]
    waiting_for: timedelta


def unconfirmed_holds(
    broadcasts: Iterable[HoldBroadcast], now: datetime, allowed: timedelta = DEFAULT_CONFIRMATION_WINDOW
) -> list[UnconfirmedHold]:
    """Broadcasts still missing a confirmation more than ``allowed`` after they went out, oldest first."""
    alerts = [
        UnconfirmedHold(
            broadcast_id=b.broadcast_id,
            moratorium_reference=b.moratorium_reference,
            change=b.change,
            awaiting=tuple(sorted(b.awaiting)),
            waiting_for=now - b.broadcast_at,
        )
        for b in broadcasts
        if b.awaiting and now - b.broadcast_at > allowed
    ]
    return sorted(alerts, key=lambda a: (-a.waiting_for, a.broadcast_id))
