"""Inbox handlers declared apart from the running service.

A service's handler modules declare their handlers on an `InboxRouter`, which knows no broker, database or
settings, so a handler module imports on its own and a test can call a handler with in-memory stores. The
service's bootstrap builds a `ServiceRuntime` and includes the routers (`runtime.include(router, ...)`), naming
how the service's stores are made from a transaction and the service's dependencies (policies, rules, clock,
settings). The inbox then gives every handler a `Handling`: its stores and outbox bound to the transaction the
inbox opened, the outbox also bound to the delivery that caused the work, and the service.

    router = InboxRouter[RecoveryStores, Recovery]()

    @router.handles(DebtRaised)
    async def open_case(message: DebtRaised, handling: Handling[RecoveryStores, Recovery]) -> None:
        ...

    @router.handles_batch(BalanceChanged)
    async def restate_balances(
        messages: list[tuple[BalanceChanged, Envelope]], handling: Handling[RecoveryStores, Recovery]
    ) -> None:
        ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import Contract, Envelope
from shared.messaging.event_writer import EventWriter

StoresT = TypeVar("StoresT")
ServiceT = TypeVar("ServiceT")
C = TypeVar("C", bound=Contract)


@dataclass
class Handling(Generic[StoresT, ServiceT]):
    """What a handler is given for the work of one transaction.

    `stores` are the service's stores bound to the transaction; `outbox` publishes in the same transaction, caused
    by `envelope` (for a batch handler there is no single cause: use `outbox.caused_by(envelope)` or
    `outbox.add_caused`); `service` carries the service's dependencies. `session` is the transaction itself, for
    stores made on the spot; a handler's SQL belongs in a store, not here. In a unit test `session` is None.
    """

    stores: StoresT
    outbox: EventWriter
    service: ServiceT
    envelope: Envelope | None = None
    session: AsyncSession | None = None

    def caused_by(self, envelope: Envelope) -> Handling[StoresT, ServiceT]:
        """The same transaction's work, caused by one message of a batch."""
        return Handling(self.stores, self.outbox.caused_by(envelope), self.service, envelope, self.session)


OneHandler = Callable[[Any, Handling[Any, Any]], Awaitable[None]]
InvalidHandler = Callable[[Envelope, str, Handling[Any, Any]], Awaitable[None]]
"""`refuse(envelope, reason, handling)`: answers a message whose data does not fit its contract."""
BatchHandler = Callable[[list[tuple[Any, Envelope]], Handling[Any, Any]], Awaitable[None]]


@dataclass(frozen=True)
class InboxRoute:
    """One contract a service consumes and the handler that applies it."""

    contract: type[Contract]
    handler: Callable[..., Awaitable[None]]
    batch: bool
    routing_key: str | None = None
    refuses_invalid: InvalidHandler | None = None

    @property
    def description(self) -> str | None:
        """What the AsyncAPI document says of the queue: the handler's docstring."""
        return self.handler.__doc__


class InboxRouter(Generic[StoresT, ServiceT]):
    """Handlers of one part of a service, declared with `handles` and `handles_batch`, included by a runtime."""

    def __init__(self) -> None:
        self.routes: list[InboxRoute] = []

    def handles(
        self,
        contract_class: type[C],
        *,
        routing_key: str | None = None,
        refuses_invalid: InvalidHandler | None = None,
    ) -> Callable[[Callable[[C, Handling[StoresT, ServiceT]], Awaitable[None]]], Any]:
        """Decorator: `handler(message, handling)` runs once per distinct event of this contract, in the inbox's
        transaction; `handling.outbox` is caused by the event.

        `refuses_invalid(envelope, reason, handling)`, when given, answers a message whose data does not fit the
        contract (e.g. a charge request beyond the bounds is refused to its council system) instead of the
        message going to the dead-letter queue; it runs once per event, like the handler."""

        def register(handler: Callable[[C, Handling[StoresT, ServiceT]], Awaitable[None]]) -> Any:
            self.routes.append(
                InboxRoute(
                    contract_class,
                    handler,
                    batch=False,
                    routing_key=routing_key,
                    refuses_invalid=refuses_invalid,
                )
            )
            return handler

        return register

    def handles_batch(
        self, contract_class: type[C], *, routing_key: str | None = None
    ) -> Callable[[Callable[[list[tuple[C, Envelope]], Handling[StoresT, ServiceT]], Awaitable[None]]], Any]:
        """Decorator for high-volume consumers: `handler([(message, envelope), ...], handling)` applies many
        distinct events at once (e.g. one set-based statement). Same guarantees as `handles`: each event's effect
        is committed once; if the batch fails, each event is retried on its own."""

        def register(
            handler: Callable[[list[tuple[C, Envelope]], Handling[StoresT, ServiceT]], Awaitable[None]],
        ) -> Any:
            self.routes.append(InboxRoute(contract_class, handler, batch=True, routing_key=routing_key))
            return handler

        return register

    def include(self, other: InboxRouter[StoresT, ServiceT]) -> None:
        """Take in another router's handlers (a service's routers gathered into one)."""
        self.routes.extend(other.routes)
