"""How a service process runs: broker, database, outbox relay, inbox subscribers, business clock and HTTP.

A service's bootstrap builds one `ServiceRuntime`, includes the service's inbox routers
(`runtime.include(router, stores=..., service=...)`) and its HTTP app, and its `__main__` calls `runtime.main()`.
Nothing here is built at import: two runtimes, differently configured, can live in one process. Everything that
is the same for every service lives here, so a service's own folder shows its business, not plumbing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar
from uuid import uuid4

import structlog
import uvicorn
from faststream import FastStream
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.schemas import Channel
from faststream.specification import AsyncAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import shared.contracts  # noqa: F401  (registers every contract, so any message on the bus can be opened)
from shared import event_loop
from shared.access_log import log_every_request
from shared.api_docs import document_refusals, name_operations, serve_docs_from_this_machine
from shared.asyncapi_documents import describe_messages
from shared.auth import assert_every_route_is_protected
from shared.broker_identity import amqp_url_for, owner_of, publisher_refusal
from shared.clock import clock
from shared.contracts.envelope import CONTRACTS, Contract, Envelope, open_envelope
from shared.contracts.platform import BusinessDateSet
from shared.dead_letter_endpoints import dead_letter_router
from shared.docstrings import described
from shared.logs import bind_message_context, configure_logging
from shared.messaging.dead_letter_tray import DeadLetterTray
from shared.messaging.event_writer import OutboxWriter
from shared.messaging.inbox import InboxConsumer, documented_envelope
from shared.messaging.inbox_router import Handling, InboxRoute, InboxRouter
from shared.messaging.outbox import Outbox
from shared.messaging.relay import OutboxRelay
from shared.metrics import (
    OUTBOX_OLDEST_UNSENT_SECONDS,
    OUTBOX_UNSENT,
    WORK_OLDEST_AGE_SECONDS,
    WORK_WAITING,
)
from shared.operations_endpoints import ReadinessChecks, operations_router
from shared.persistence.database import ServiceDatabase
from shared.problem_details import answer_with_problem_details
from shared.settings import PlatformSettings, platform_settings

log = structlog.get_logger("runtime")

ENVELOPE_PROPERTIES = {
    "content_type": "application/json",
    "delivery_mode": "2 (persistent): every event is written to disk by the broker",
    "message_id": "the envelope's event_id: a consumer applies an event once, whatever the redeliveries",
    "app_id": "the producing service",
    "user_id": "the publishing broker user, checked by RabbitMQ; consumers refuse an event whose publisher does "
    "not own its type",
}

BackgroundTask = Callable[["ServiceRuntime"], Coroutine[Any, Any, None]]
StoresT = TypeVar("StoresT")
ServiceT = TypeVar("ServiceT")


class ServiceRuntime:
    """One running instance of a service."""

    def __init__(self, service: str, *, description: str, settings: PlatformSettings | None = None) -> None:
        self.service = service
        self.description = description
        self.settings = settings or platform_settings()
        if self.settings.business_date:
            clock.pin(self.settings.business_date)
        # The service connects as its own broker user, so what it publishes is known to be its own.
        self.amqp_url = amqp_url_for(service, self.settings.amqp_url, self.settings.broker_passwords_file)
        self.broker = RabbitBroker(
            self.amqp_url,
            default_channel=Channel(prefetch_count=self.settings.prefetch),
            logger=None,
            apply_types=False,  # the inbox validates envelopes itself; no per-message dependency injection
        )
        self.database = ServiceDatabase(
            self.settings.database_url, service, pool_size=self.settings.database_pool_size
        )
        self.outbox = Outbox(service)
        self._documented_publications: set[str] = set()
        self.inbox = InboxConsumer(
            service,
            self.broker,
            self.database,
            events_exchange=self.settings.events_exchange,
            dead_letter_exchange=self.settings.dead_letter_exchange,
            max_delivery_attempts=self.settings.max_delivery_attempts,
            prefetch=self.settings.prefetch,
            busy_queue_linger_milliseconds=self.settings.inbox_busy_queue_linger_milliseconds,
            verify_publishers=self.settings.verify_publishers,
            consume_directly=self.settings.inbox_consumes_directly,
        )
        self.relay = OutboxRelay(
            service,
            database_url=self.settings.database_url,
            amqp_url=self.amqp_url,
            exchange=self.settings.events_exchange,
            batch_size=self.settings.relay_batch_size,
            idle_poll_milliseconds=self.settings.relay_idle_poll_milliseconds,
        )
        self._http_app: Any = None
        self.background: list[BackgroundTask] = []
        self._tasks: list[asyncio.Task[Any]] = []
        self.consuming = False
        self._outbox_depth = text(
            f"SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) "
            f"FROM {service}.outbox WHERE published_at IS NULL"
        )
        self._trays: dict[str, Any] = {}
        self.watch_tray(
            "dead_letters",
            f"SELECT count(*), coalesce(extract(epoch FROM now() - min(dead_lettered_at)), 0) "
            f"FROM {service}.dead_letter WHERE settled_at IS NULL",
        )
        self._listen_to_clock()

    def watch_tray(self, tray: str, count_and_oldest_age_sql: str) -> None:
        """Expose a work tray on /metrics (council_debt_work_waiting, council_debt_work_oldest_age_seconds):
        `count_and_oldest_age_sql` returns one row, (items waiting, age in seconds of the oldest)."""
        self._trays[tray] = text(count_and_oldest_age_sql)

    # -- handlers and transactions -----------------------------------------------------------------------
    def include(
        self,
        router: InboxRouter[StoresT, ServiceT],
        *,
        stores: Callable[[AsyncSession], StoresT],
        service: ServiceT,
    ) -> None:
        """Consume every contract the router handles: each delivery (or batch) in one inbox transaction, the
        handler given the service's stores made from that transaction, the outbox bound to it, and `service`."""
        for route in router.routes:
            self.inbox.handles_batch(
                route.contract,
                routing_key=route.routing_key,
                on_invalid=_invalid_handler(route, self.outbox, stores, service),
            )(_inbox_handler(route, self.outbox, stores, service))

    @contextlib.asynccontextmanager
    async def transaction(
        self,
        stores: Callable[[AsyncSession], StoresT],
        service: ServiceT,
        *,
        cause: Envelope | None = None,
    ) -> AsyncIterator[Handling[StoresT, ServiceT]]:
        """One transaction for work not caused by a delivery (an officer's request, a daily run, a file): the
        same `Handling` a handler gets, committed when the block ends, rolled back if it raises."""
        async with self.database.transaction() as session:
            yield Handling(
                stores(session), OutboxWriter(self.outbox, session, cause), service, cause, session
            )

    # -- documentation -------------------------------------------------------------------------------------
    def document_publication(self, *contracts: type[Contract]) -> None:
        """Declare, for the AsyncAPI document, the events this service publishes (through its outbox)."""
        for contract_class in contracts:
            if contract_class.message_type in self._documented_publications:
                continue
            self._documented_publications.add(contract_class.message_type)
            self.broker.publisher(
                routing_key=contract_class.message_type,
                exchange=self.inbox.exchange,
                schema=documented_envelope(contract_class),
                title=f"{contract_class.message_type}:publish",
                description=described(contract_class.__doc__),
            )

    def asyncapi(self) -> FastStream:
        """The FastStream application, whose AsyncAPI document describes every queue and message. Every contract
        this service owns (its routing-key prefix, shared/broker_identity.py) is documented as published, so a
        new event cannot be left out of the integrators' document."""
        newest: dict[str, type[Contract]] = {}
        for (message_type, _version), contract_class in sorted(CONTRACTS.items()):
            if owner_of(message_type) == self.service:
                newest[message_type] = contract_class
        self.document_publication(*newest.values())
        return FastStream(
            self.broker,
            specification=AsyncAPI(
                title=f"{self.service} service", version="1.0.0", description=self.description
            ),
        )

    # -- the business clock ----------------------------------------------------------------------------------
    def _listen_to_clock(self) -> None:
        # Every instance must hear the clock, so each has its own exclusive, auto-deleted queue.
        # Named in the service's own namespace: its broker user may declare only queues named `<service>.*`.
        queue = RabbitQueue(
            f"{self.service}.business-clock.{uuid4().hex}",
            exclusive=True,
            auto_delete=True,
            routing_key=BusinessDateSet.message_type,
        )

        context = self.broker.context

        async def on_clock_set(body: bytes) -> None:
            try:
                _, payload = open_envelope(body)
            except Exception as error:
                log.warning("ignored a malformed clock message", reason=str(error))
                return
            user_id = context.get_local("message").raw_message.user_id
            refusal = (
                publisher_refusal(BusinessDateSet.message_type, user_id)
                if self.settings.verify_publishers
                else None
            )
            if refusal:
                log.warning("ignored a clock message", reason=refusal)
                return
            assert isinstance(payload, BusinessDateSet)
            clock.pin(payload.business_date)
            log.info("business date set", business_date=str(payload.business_date))

        async def decode_raw(message: Any) -> bytes:
            return message.body

        on_clock_set.__name__ = f"{self.service}_clock"
        self.broker.subscriber(queue, self.inbox.exchange, decoder=decode_raw, include_in_schema=False)(
            on_clock_set
        )

    # -- running -----------------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Connect, declare queues, start consuming, the relay and background work (not HTTP)."""
        await self.broker.start()
        await self.inbox.start()
        await self.inbox.declare_dead_letter_queues()
        self.consuming = True
        self._tasks.append(asyncio.create_task(self._watch_the_outbox(), name=f"{self.service}-outbox-watch"))
        if self.settings.relay_in_process:
            self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.service}-relay"))
        for task in self.background:
            self._tasks.append(asyncio.create_task(task(self), name=f"{self.service}-{task.__name__}"))
        log.info("service started", queues=[q.name for q in self.inbox.queues])

    async def stop(self) -> None:
        """Stop consuming, cancel background work, close connections."""
        self.consuming = False
        await self.inbox.stop()  # its workers' tasks cancelled and awaited, nothing more settled
        await self.broker.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await self.database.dispose()

    # -- operations ------------------------------------------------------------------------------------------
    def readiness_checks(self) -> ReadinessChecks:
        """What `/readyz` asks: the database answers, the broker answers, the inbox is consuming."""

        async def database_answers() -> object:
            async with self.database.engine.connect() as connection:
                return (await connection.execute(text("SELECT 1"))).scalar()

        async def broker_answers() -> bool:
            return await self.broker.ping(timeout=2.0)

        return ReadinessChecks(self.service, database_answers, broker_answers, lambda: self.consuming)

    @property
    def http_app(self) -> Any:
        """The service's own HTTP app (None for a service with none)."""
        return self._http_app

    @http_app.setter
    def http_app(self, app: Any) -> None:
        # Refusals are problem details, and requests logged, from the moment the service has an app, however it
        # is then served (a middleware cannot be added once an app has answered a request).
        if app is not None:
            answer_with_problem_details(app)
            log_every_request(app)
        self._http_app = app

    def served_http_app(self) -> Any:
        """The app this process serves: the service's own (if it has one) with `/healthz`, `/readyz`,
        `/metrics` and the `/dead-letters` tray beside its routes, or those alone."""
        app = self.http_app
        if app is None:
            from fastapi import FastAPI

            app = FastAPI(title=f"{self.service} operations", docs_url=None, redoc_url=None, openapi_url=None)
        if not getattr(app.state, "operations_endpoints", False):
            app.include_router(operations_router(self.readiness_checks()))
            app.include_router(dead_letter_router(self.service, self.dead_letter_tray))
            app.state.operations_endpoints = True
        serve_docs_from_this_machine(app)
        name_operations(app)
        answer_with_problem_details(app)  # also for the operations-only app built above
        document_refusals(app)
        log_every_request(app)
        assert_every_route_is_protected(app)  # a route nobody decided who may call is never served
        return app

    def dead_letter_tray(self) -> DeadLetterTray:
        """This service's dead-letter tray (shared/messaging/dead_letter_tray.py)."""
        return DeadLetterTray(
            self.service,
            database_url=self.settings.database_url,
            amqp_url=self.settings.amqp_url,
            broker_passwords_file=self.settings.broker_passwords_file,
        )

    async def _watch_the_outbox(self, every_seconds: float = 5.0) -> None:
        # How much waits to be published, and for how long: a stopped relay or an unreachable broker shows here
        # before anyone notices missing letters. The service's work trays are sampled on the same beat.
        while True:
            with contextlib.suppress(Exception):  # the database may be away; the gauges keep their last value
                async with self.database.engine.connect() as connection:
                    unsent, oldest = (await connection.execute(self._outbox_depth)).one()
                OUTBOX_UNSENT.labels(self.service).set(unsent)
                OUTBOX_OLDEST_UNSENT_SECONDS.labels(self.service).set(float(oldest))
            for tray, statement in self._trays.items():
                with contextlib.suppress(Exception):
                    async with self.database.engine.connect() as connection:
                        waiting, oldest = (await connection.execute(statement)).one()
                    WORK_WAITING.labels(self.service, tray).set(waiting)
                    WORK_OLDEST_AGE_SECONDS.labels(self.service, tray).set(float(oldest or 0))
            await asyncio.sleep(every_seconds)

    async def serve(self) -> None:
        """Run until SIGTERM/SIGINT: messaging, and the HTTP app when the service has one."""
        await self.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        http: uvicorn.Server | None = None
        http_task = None
        if self.settings.http_port:
            config = uvicorn.Config(
                self.served_http_app(),
                host=self.settings.http_host,
                port=self.settings.http_port,
                log_config=None,
                access_log=False,
            )
            http = HttpServerWithoutSignals(config)
            http_task = asyncio.create_task(http.serve())
        await stop.wait()
        if http is not None and http_task is not None:
            http.should_exit = True
            await http_task
        await self.stop()

    def main(self) -> None:
        """Entry point of `python -m services.<service>`."""
        configure_logging(self.service, self.settings.log_level, self.settings.log_format)
        event_loop.run(self.serve())

    def asyncapi_document(self) -> dict[str, Any]:
        """The AsyncAPI document as committed in docs/asyncapi/: FastStream's, with what the envelope and the relay
        add stated (the correlation id is in the envelope, not an AMQP header; every event is persistent and
        carries its event id, producer and broker-checked publisher as AMQP properties)."""
        document: dict[str, Any] = json.loads(self.asyncapi().schema.to_specification().to_json())
        for message in document.get("components", {}).get("messages", {}).values():
            message["correlationId"] = {
                "location": "$message.payload#/correlation_id",
                "description": "Shared by every event caused, directly or not, by the same first event",
            }
            message["bindings"] = {"amqp": {"bindingVersion": "0.3.0", "contentEncoding": "utf-8"}}
            message["x-amqp-properties"] = ENVELOPE_PROPERTIES
        for operation in document.get("operations", {}).values():
            if operation.get("action") == "send":
                operation.setdefault("bindings", {}).setdefault("amqp", {}).update(
                    deliveryMode=2, mandatory=False
                )
        return describe_messages(document)

    async def publish_now(self, message: Contract, causation: Envelope | None = None) -> None:
        """Write one event through the outbox in its own transaction (for work not caused by a message)."""
        async with self.database.transaction() as session:
            await self.outbox.add(session, message, causation=causation)


class HttpServerWithoutSignals(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGTERM/SIGINT and stops HTTP, consumers and
    the relay in order (uvicorn would otherwise take the signals for itself and re-raise them after)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _invalid_handler(
    route: InboxRoute,
    outbox: Outbox,
    stores: Callable[[AsyncSession], Any],
    service: Any,
) -> Callable[[AsyncSession, Envelope, str], Awaitable[None]] | None:
    """The inbox's answer to a message that does not fit the route's contract, if the route gives one."""
    refuse = route.refuses_invalid
    if refuse is None:
        return None

    async def answer(session: AsyncSession, envelope: Envelope, reason: str) -> None:
        await refuse(
            envelope,
            reason,
            Handling(stores(session), OutboxWriter(outbox, session, envelope), service, envelope, session),
        )

    return answer


def _inbox_handler(
    route: InboxRoute,
    outbox: Outbox,
    stores: Callable[[AsyncSession], Any],
    service: Any,
) -> Callable[[AsyncSession, list[tuple[Any, Envelope]]], Awaitable[None]]:
    """The inbox's batch handler for a route: the stores made once per transaction, the outbox bound to each
    delivery for a one-at-a-time handler."""
    handler = route.handler

    if route.batch:

        async def handle_batch(session: AsyncSession, messages: list[tuple[Any, Envelope]]) -> None:
            await handler(
                messages, Handling(stores(session), OutboxWriter(outbox, session), service, None, session)
            )

        handle_batch.__doc__ = route.description
        return handle_batch

    async def handle_each(session: AsyncSession, messages: list[tuple[Any, Envelope]]) -> None:
        bound_stores = stores(session)
        for payload, envelope in messages:
            bind_message_context(
                event_id=str(envelope.event_id),
                correlation_id=str(envelope.correlation_id),
                message_type=envelope.type,
            )
            await handler(
                payload,
                Handling(bound_stores, OutboxWriter(outbox, session, envelope), service, envelope, session),
            )

    handle_each.__doc__ = route.description
    return handle_each
