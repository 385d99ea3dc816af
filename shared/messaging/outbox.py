"""The transactional outbox: the one way a service publishes.

A handler adds its outgoing events to the outbox in the same transaction as its state change, so either both
happen or neither does. The relay (`relay.py`) later publishes what was committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import Contract, Envelope

C = TypeVar("C", bound=Contract)


class Outbox:
    """The outbox table of one service's schema."""

    def __init__(self, service: str) -> None:
        self.service = service
        # One statement for any number of events: one round trip, and the NOTIFY trigger fires once.
        self._insert = text(
            f"INSERT INTO {service}.outbox (event_id, routing_key, body) "
            f"SELECT * FROM unnest(CAST(:event_ids AS uuid[]), CAST(:routing_keys AS text[]), "
            f"CAST(:bodies AS bytea[]))"
        )
        self._stated_together: list[tuple[type[Contract], Callable[[list[Any]], Sequence[Contract]]]] = []

    def state_together(
        self, contract_class: type[C], statements: Callable[[list[C]], Sequence[Contract]]
    ) -> None:
        """With the events of `contract_class` that one add queues, queue `statements(those events)` too, after
        them and in the same transaction: a consumer that must hear every one of a busy event (billing's balance
        changes) can then take many in one delivery, while each is still published on its own for everyone
        else (issue 21: receiving a delivery, not handling it, is what four consumers of 5,000 a second cannot
        afford on two cores)."""
        self._stated_together.append((contract_class, statements))

    def _statements_of(self, messages: Sequence[Contract]) -> list[Contract]:
        """The statements of the events that are stated together, for one add."""
        stated: list[Contract] = []
        for contract_class, statements in self._stated_together:
            together = [m for m in messages if isinstance(m, contract_class)]
            if together:
                stated.extend(statements(together))
        return stated

    async def add(
        self,
        session: AsyncSession,
        message: Contract,
        *,
        causation: Envelope | None = None,
        correlation_id: UUID | None = None,
    ) -> Envelope:
        """Queue one event for publication when `session` commits; returns its envelope."""
        return (await self.add_all(session, [message], causation=causation, correlation_id=correlation_id))[0]

    async def add_all(
        self,
        session: AsyncSession,
        messages: Iterable[Contract],
        *,
        causation: Envelope | None = None,
        correlation_id: UUID | None = None,
    ) -> list[Envelope]:
        """Queue several events in one round trip (bulk runs raise thousands at a time), with their statements
        (`state_together`)."""
        messages = list(messages)
        wrapped = [
            Envelope.wrap(m, producer=self.service, causation=causation, correlation_id=correlation_id)
            for m in [*messages, *self._statements_of(messages)]
        ]
        return (await self.add_envelopes(session, wrapped))[: len(messages)]

    async def add_caused(
        self, session: AsyncSession, caused: Iterable[tuple[Contract, Envelope | None]]
    ) -> list[Envelope]:
        """Queue the events of a batch of deliveries in one round trip, each carrying the correlation and
        causation of the delivery that caused it (so an auditor can follow every payment or write-off back to
        the message that asked for it). A statement of many (`state_together`) has many causes, so names none."""
        caused = list(caused)
        wrapped = [Envelope.wrap(m, producer=self.service, causation=cause) for m, cause in caused]
        stated = [
            Envelope.wrap(m, producer=self.service) for m in self._statements_of([m for m, _ in caused])
        ]
        return (await self.add_envelopes(session, wrapped + stated))[: len(wrapped)]

    def prepare(self, messages: Iterable[Contract]) -> PreparedEvents:
        """Events wrapped and serialised now, to be added later (a bulk run prepares the next chunk's events while
        the last chunk is written, and keeps bytes rather than objects meanwhile)."""
        messages = list(messages)
        prepared = PreparedEvents()
        for message in [*messages, *self._statements_of(messages)]:
            prepared.append(Envelope.wrap(message, producer=self.service))
        return prepared

    async def add_prepared(self, session: AsyncSession, prepared: PreparedEvents) -> None:
        """Queue events `prepare` made, in one round trip."""
        if prepared.event_ids:
            await session.execute(
                self._insert,
                {
                    "event_ids": prepared.event_ids,
                    "routing_keys": prepared.routing_keys,
                    "bodies": prepared.bodies,
                },
            )

    async def add_envelopes(self, session: AsyncSession, envelopes: list[Envelope]) -> list[Envelope]:
        """Queue events already wrapped (an event whose id others had to name before it was complete)."""
        prepared = PreparedEvents()
        for envelope in envelopes:
            prepared.append(envelope)
        await self.add_prepared(session, prepared)
        return envelopes


@dataclass
class PreparedEvents:
    """Outbox rows ready to insert: ids, routing keys and the envelopes' bytes."""

    event_ids: list[UUID] = field(default_factory=list)
    routing_keys: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def append(self, envelope: Envelope) -> None:
        """One more event, as its row."""
        self.event_ids.append(envelope.event_id)
        self.routing_keys.append(envelope.type)
        self.bodies.append(envelope.to_bytes())

    def __len__(self) -> int:
        return len(self.event_ids)
