"""Identifiers the platform mints: UUID version 7 (RFC 9562), time-ordered.

Events, payments, debts and customers are keyed by these ids in btree indexes (outbox, inbox, payment, debt,
debt lines). Random (version 4) ids land anywhere in an index, so every insert touches a different page and,
after each checkpoint, writes it whole to the WAL again; time-ordered ids land at the end, a page at a time.
They remain unguessable (74 random bits) and are ordinary UUIDs to every contract and column.
"""

from __future__ import annotations

from uuid import UUID

from uuid_utils.compat import uuid7


def new_id() -> UUID:
    """A new time-ordered identifier."""
    return uuid7()
