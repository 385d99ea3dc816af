"""What every officer's tray of the gateway shows: how many items wait and how long each has waited.

Refused referrals and quarantined files each wait for an officer; how long, in hours, is what a manager watches,
so it is worked out here once.
"""

from __future__ import annotations

from datetime import datetime


def hours_waiting(since: datetime | None, now: datetime) -> float | None:
    """Hours an item has waited since it arrived in the tray, to one decimal (never negative); None when the
    tray is empty or the item's arrival is unknown."""
    if since is None:
        return None
    return max(0.0, round((now - since).total_seconds() / 3600, 1))
