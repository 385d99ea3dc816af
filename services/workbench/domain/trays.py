"""Work trays: what waits for the council's people, how much and for how long, each item linking to where it
is resolved. A tray whose service offers no API for it says so instead of showing anything made up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True)
class TrayItem:
    """One thing waiting: what it is, since when (or by when, for a deadline), and where it is dealt with."""

    label: str
    since: datetime | date | None
    href: str | None
    due: date | None = None
    waiting: str | None = None
    """How long it has waited as its service counts it (by its business date), shown instead of the age from
    `since` (which still ages the tray's oldest)."""


@dataclass(frozen=True)
class Tray:
    """A tray of one service: its items, or why the workbench cannot show them."""

    key: str
    title: str
    service: str
    items: tuple[TrayItem, ...] = ()
    unavailable: str | None = None

    @property
    def available(self) -> bool:
        """Whether the service gave the tray's items."""
        return self.unavailable is None

    @property
    def count(self) -> int | None:
        """How many items wait (None when unavailable)."""
        return len(self.items) if self.available else None

    def oldest(self, now: datetime) -> str | None:
        """How long the oldest item has waited, in words."""
        waited = [age_of(item.since, now) for item in self.items if item.since is not None]
        return age_in_words(max(waited)) if waited else None

    def nearest_deadline(self, today: date) -> str | None:
        """The nearest deadline among the items, in words ('overdue by 2 days', 'due in 5 days')."""
        dues = [item.due for item in self.items if item.due is not None]
        return deadline_in_words(min(dues), today) if dues else None


@dataclass(frozen=True)
class TrayKind:
    """Which tray: its key (the page's anchors), its title and the service that owns what waits in it."""

    key: str
    title: str
    service: str

    def of(self, items: tuple[TrayItem, ...]) -> Tray:
        """The tray with the items its service gave."""
        return Tray(self.key, self.title, self.service, items)

    def unavailable(self, because: str | None = None) -> Tray:
        """The tray its service did not give (no API, not answering, or not for the officer's roles)."""
        return unavailable(self.key, self.title, self.service, because)


def unavailable(key: str, title: str, service: str, because: str | None = None) -> Tray:
    """A tray the service has no API for (or did not answer for): said so, never faked."""
    return Tray(key, title, service, unavailable=because or f"not available from {service}")


def age_of(since: datetime | date, now: datetime) -> int:
    """Seconds from `since` to `now` (a date counts from its midnight UTC); never negative."""
    start = since if isinstance(since, datetime) else datetime(since.year, since.month, since.day, tzinfo=UTC)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return max(0, int((now - start).total_seconds()))


def age_in_words(seconds: int) -> str:
    """'under a minute', '12 minutes', '5 hours', '3 days' (the largest whole unit)."""
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "under a minute"


def deadline_in_words(due: date, today: date) -> str:
    """'overdue by 2 days', 'due today', 'due in 1 day'."""
    days = (due - today).days
    if days < 0:
        return f"overdue by {-days} day{'' if days == -1 else 's'}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'' if days == 1 else 's'}"


def parsed_time(value: str | None) -> datetime | None:
    """An ISO timestamp from a service's JSON (None stays None)."""
    return datetime.fromisoformat(value) if value else None


def parsed_day(value: str | None) -> date | None:
    """An ISO date from a service's JSON (None stays None)."""
    return date.fromisoformat(value) if value else None
