"""Customers billing merged: when an officer in billing confirms a flagged match (`CustomerMatchResolved`,
outcome `confirmed`), the provisional customer's debts belong to the customer it was merged into. Breathing space
reads every debt's liable customers through the merges it knows, so a debt raised against the provisional record
comes to belong to the person, whether billing's debt event or its decision arrives first, and the search of a
moratorium matched to either record finds the other's debts too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID


def merged(customer_id: UUID, merged_into: Mapping[UUID, UUID]) -> UUID:
    """The customer a record now stands for: followed through every merge (a merge of a merge), never looping."""
    seen = {customer_id}
    while customer_id in merged_into and merged_into[customer_id] not in seen:
        customer_id = merged_into[customer_id]
        seen.add(customer_id)
    return customer_id


def liable_after_merges(customer_ids: Iterable[UUID], merged_into: Mapping[UUID, UUID]) -> tuple[UUID, ...]:
    """A debt's liable customers as they now are: each merged record replaced by the one it was merged into,
    once each, in order (a debt of the provisional and the confirmed record is that one person's, not joint)."""
    return tuple(dict.fromkeys(merged(c, merged_into) for c in customer_ids))


def searched_customers(matched: Iterable[UUID], merged_into: Mapping[UUID, UUID]) -> tuple[UUID, ...]:
    """The customers a moratorium's search looks for: those it matched and the records they were merged into."""
    return tuple(dict.fromkeys(c for m in matched for c in (m, merged(m, merged_into))))


def records_of(customer_ids: Iterable[UUID], merged_into: Mapping[UUID, UUID]) -> tuple[UUID, ...]:
    """These customers and every record merged into one of them: a moratorium matched to a record billing has
    since merged into a customer is that customer's, so news about the customer touches it too."""
    people = set(customer_ids)
    aliases = [m for m in merged_into if merged(m, merged_into) in people]
    return tuple(dict.fromkeys([*customer_ids, *sorted(aliases)]))
