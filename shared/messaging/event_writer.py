"""What a handler publishes through: the outbox bound to one transaction and to the message that caused the work.

A handler never names the session, the producer or the causation of what it publishes: the runtime binds them,
so every event a handler adds carries the correlation and causation of the delivery that caused it (an auditor
follows any payment, hold or write-off back to the message that asked for it). Unit tests of handlers give them
`CollectedEvents` instead, which keeps what was published in a list: no broker, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import Contract, Envelope, open_envelope
from shared.messaging.outbox import Outbox, PreparedEvents


class EventWriter(Protocol):
    """Where a handler's outgoing events go (the outbox in a transaction, or a list in a unit test)."""

    cause: Envelope | None

    async def add(self, message: Contract, *, causation: Envelope | None = None) -> Envelope:
        """Queue one event, caused by `causation` or, by default, by the message being handled."""
        ...

    async def add_all(
        self, messages: Iterable[Contract], *, causation: Envelope | None = None
    ) -> list[Envelope]:
        """Queue several events with one cause."""
        ...

    async def add_caused(self, caused: Iterable[tuple[Contract, Envelope | None]]) -> list[Envelope]:
        """Queue a batch's events, each with the delivery that caused it."""
        ...

    async def add_envelopes(self, envelopes: list[Envelope]) -> list[Envelope]:
        """Queue events already wrapped (their ids were needed before they were complete)."""
        ...

    def wrap(self, message: Contract, *, causation: Envelope | None = None) -> Envelope:
        """The envelope this writer would give `message`, not yet queued."""
        ...

    async def add_prepared(self, prepared: PreparedEvents) -> None:
        """Queue rows a bulk run prepared beforehand (`Outbox.prepare`)."""
        ...

    def caused_by(self, envelope: Envelope | None) -> EventWriter:
        """The same writer, for work caused by `envelope` (one message of a batch)."""
        ...


class OutboxWriter:
    """The service's outbox in one open transaction, with the causing envelope bound."""

    def __init__(self, outbox: Outbox, session: AsyncSession, cause: Envelope | None = None) -> None:
        self.outbox = outbox
        self.session = session
        self.cause = cause

    def wrap(self, message: Contract, *, causation: Envelope | None = None) -> Envelope:
        """The envelope for `message` as this service, caused by `causation` or the bound cause."""
        return Envelope.wrap(message, producer=self.outbox.service, causation=causation or self.cause)

    async def add(self, message: Contract, *, causation: Envelope | None = None) -> Envelope:
        """Queue one event for publication when the transaction commits."""
        return await self.outbox.add(self.session, message, causation=causation or self.cause)

    async def add_all(
        self, messages: Iterable[Contract], *, causation: Envelope | None = None
    ) -> list[Envelope]:
        """Queue several events in one round trip."""
        return await self.outbox.add_all(self.session, messages, causation=causation or self.cause)

    async def add_caused(self, caused: Iterable[tuple[Contract, Envelope | None]]) -> list[Envelope]:
        """Queue a batch's events, each caused by its own delivery."""
        return await self.outbox.add_caused(self.session, caused)

    async def add_envelopes(self, envelopes: list[Envelope]) -> list[Envelope]:
        """Queue envelopes already made (with `wrap`)."""
        return await self.outbox.add_envelopes(self.session, envelopes)

    async def add_prepared(self, prepared: PreparedEvents) -> None:
        """Queue rows a bulk run prepared beforehand (`Outbox.prepare`)."""
        await self.outbox.add_prepared(self.session, prepared)

    def caused_by(self, envelope: Envelope | None) -> OutboxWriter:
        """This transaction's outbox, for work caused by `envelope`."""
        return OutboxWriter(self.outbox, self.session, envelope)


@dataclass
class CollectedEvents:
    """An `EventWriter` for unit tests of handlers: what would have been published, in order."""

    producer: str = "test"
    cause: Envelope | None = None
    envelopes: list[Envelope] = field(default_factory=list)

    @property
    def messages(self) -> list[Contract]:
        """The contracts published, opened from their envelopes as a consumer would open them."""
        return [open_envelope(envelope.to_bytes())[1] for envelope in self.envelopes]

    def of_type(self, contract_class: type[Contract]) -> list[Contract]:
        """The published messages of one contract."""
        return [m for m in self.messages if isinstance(m, contract_class)]

    def wrap(self, message: Contract, *, causation: Envelope | None = None) -> Envelope:
        return Envelope.wrap(message, producer=self.producer, causation=causation or self.cause)

    async def add(self, message: Contract, *, causation: Envelope | None = None) -> Envelope:
        return (await self.add_all([message], causation=causation))[0]

    async def add_all(
        self, messages: Iterable[Contract], *, causation: Envelope | None = None
    ) -> list[Envelope]:
        return await self.add_envelopes([self.wrap(m, causation=causation) for m in messages])

    async def add_caused(self, caused: Iterable[tuple[Contract, Envelope | None]]) -> list[Envelope]:
        return await self.add_envelopes([self.wrap(m, causation=cause) for m, cause in caused])

    async def add_envelopes(self, envelopes: list[Envelope]) -> list[Envelope]:
        self.envelopes.extend(envelopes)
        return envelopes

    async def add_prepared(self, prepared: PreparedEvents) -> None:
        self.envelopes.extend(Envelope.model_validate_json(body) for body in prepared.bodies)

    def caused_by(self, envelope: Envelope | None) -> CollectedEvents:
        """The same list of published events, for work caused by `envelope`."""
        return CollectedEvents(self.producer, envelope, self.envelopes)
