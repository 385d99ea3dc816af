"""Handlers declared on a router know no broker, database or settings: they are called with in-memory stores
and a list for an outbox, and what they publish is caused by the message they handled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared.contracts.envelope import Envelope
from shared.contracts.platform import BusinessDateSet
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling, InboxRouter


@dataclass
class DatesSeen:
    dates: list[object] = field(default_factory=list)


router = InboxRouter[DatesSeen, str]()


@router.handles(BusinessDateSet)
async def remember_the_date(message: BusinessDateSet, handling: Handling[DatesSeen, str]) -> None:
    """Keeps the date and says so."""
    handling.stores.dates.append(message.business_date)
    await handling.outbox.add(BusinessDateSet(business_date=message.business_date))


def _envelope(message: BusinessDateSet) -> Envelope:
    return Envelope.wrap(message, producer="platform")


async def test_a_handler_runs_with_in_memory_stores_and_its_events_are_caused_by_the_delivery() -> None:
    asked = BusinessDateSet(business_date=datetime(2026, 4, 1, tzinfo=UTC).date())
    envelope = _envelope(asked)
    stores, published = DatesSeen(), CollectedEvents(producer="recovery")
    (route,) = router.routes
    await route.handler(asked, Handling(stores, published.caused_by(envelope), "derby", envelope))
    assert stores.dates == [asked.business_date]
    (sent,) = published.envelopes
    assert sent.causation_id == envelope.event_id
    assert sent.correlation_id == envelope.correlation_id
    assert sent.producer == "recovery"
    assert published.of_type(BusinessDateSet) == [asked]


def test_a_router_records_each_route_with_its_description() -> None:
    (route,) = router.routes
    assert route.contract is BusinessDateSet
    assert not route.batch
    assert route.description == "Keeps the date and says so."


def test_routers_gather_into_one() -> None:
    whole = InboxRouter[DatesSeen, str]()
    whole.include(router)
    assert [r.handler for r in whole.routes] == [remember_the_date]
