"""The idempotent inbox: the one way a service consumes.

Each handled contract gets its own durable quorum queue `<service>.<routing key>` bound to the events exchange,
with a dead-letter exchange. For every delivery:

1. the envelope is opened and its contract validated;
2. in ONE transaction the event id is recorded in the service's inbox table and the handler's effects (including
   any outbox rows) are written; an event id already in the inbox means a redelivery and changes nothing;
3. the delivery is acknowledged only after that transaction commits.

A delivery that fails because the infrastructure is away (the database stopped or restarting, a connection refused
or reset, a deadlock or serialisation failure, the broker's channel closed: `failures.is_transient`) is the
message's bad moment, not its fault: the queue holds its deliveries, backs off and tries again until the dependency
is back, and no delivery attempt is used up. Any other failure is retried (with a short back-off) up to
`max_delivery_attempts`; then it is published to the dead-letter queue with the reason in its headers (named
without the personal data a database error can quote: `failures.failure_reason`), recorded in the `dead_letter`
table (waiting for the database if need be), and acknowledged, so the consumer goes on with the next message. The queue's own `x-delivery-limit` is a backstop for a message that
crashes the process outright.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import structlog
from faststream import AckPolicy
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.schemas import Channel, QueueType
from pydantic import create_model
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.broker_identity import publisher_refusal
from shared.contracts.envelope import Contract, ContractViolation, Envelope, MalformedMessage, open_envelope
from shared.docstrings import described
from shared.logs import bind_message_context, clear_message_context
from shared.messaging.direct_consumer import DirectConsumption
from shared.messaging.failures import BackOff, failure_reason, is_transient
from shared.messaging.quiet_queues_first import QuietQueuesFirst
from shared.metrics import (
    DEAD_LETTERS,
    INBOX_BATCH_SECONDS,
    INBOX_BATCH_SIZE,
    INBOX_DELIVERIES,
    INBOX_WAITING_FOR_INFRASTRUCTURE,
)
from shared.persistence.database import ServiceDatabase

log = structlog.get_logger("inbox")

C = TypeVar("C", bound=Contract)
BatchHandler = Callable[[AsyncSession, list[tuple[Any, Envelope]]], Awaitable[None]]
InvalidAnswer = Callable[[AsyncSession, Envelope, str], Awaitable[None]]


class InboxDelivery(Protocol):
    """What the inbox reads of a delivery and how it settles it: aio-pika's `IncomingMessage` (through FastStream)
    or the direct path's `Delivery` (shared/messaging/direct_consumer.py)."""

    @property
    def body(self) -> bytes: ...
    @property
    def headers(self) -> Any: ...
    @property
    def routing_key(self) -> str | None: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def message_id(self) -> str | None: ...
    @property
    def delivery_tag(self) -> int | None: ...
    async def ack(self, multiple: bool = False) -> None: ...
    async def nack(self, multiple: bool = False, requeue: bool = True) -> None: ...


@dataclass(frozen=True)
class InboxQueue:
    """A queue this service consumes, and the dead-letter queue beside it."""

    name: str
    routing_key: str

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.name}.dead-letter"


def documented_envelope(contract_class: type[Contract]) -> type[Envelope]:
    """An envelope model whose `data` is the given contract: what the AsyncAPI document shows for a queue."""
    return create_model(
        f"{contract_class.__name__}Message",
        __base__=Envelope,
        __doc__=described(contract_class.__doc__),
        data=(contract_class, ...),
    )


async def _raw_body(message: Any) -> bytes:
    # The inbox opens the envelope itself so that bad JSON is dead-lettered with a reason, not lost in a decoder.
    return message.body


async def _documented_only() -> None:
    """A documented subscriber's start and stop when the direct path consumes its queue: nothing to do."""


class InboxConsumer:
    """Registers a service's handlers behind the idempotent inbox: as FastStream subscribers, or (with
    `consume_directly`) documented by FastStream for the AsyncAPI document and consumed with aiormq's
    `basic_consume` straight into the inbox workers (shared/messaging/direct_consumer.py)."""

    def __init__(
        self,
        service: str,
        broker: RabbitBroker,
        database: ServiceDatabase,
        *,
        events_exchange: str,
        dead_letter_exchange: str,
        max_delivery_attempts: int = 5,
        prefetch: int = 256,
        busy_queue_linger_milliseconds: int = 10,
        verify_publishers: bool = True,
        consume_directly: bool = False,
    ) -> None:
        self.service = service
        self.broker = broker
        self.database = database
        self.exchange = RabbitExchange(events_exchange, type=ExchangeType.TOPIC, durable=True)
        self.dead_letter_exchange = RabbitExchange(
            dead_letter_exchange, type=ExchangeType.DIRECT, durable=True
        )
        self.max_delivery_attempts = max_delivery_attempts
        self.prefetch = prefetch
        self.busy_queue_linger_milliseconds = busy_queue_linger_milliseconds
        self.verify_publishers = verify_publishers
        self.queues: list[InboxQueue] = []
        self.handled = 0
        self.duplicates = 0
        self.dead_lettered = 0
        self._workers: list[_QueueWorker] = []
        # Delayed nacks, held so that they are not collected before they run.
        self._retries: set[asyncio.Future[None]] = set()
        # Failed deliveries waiting out their back-off before they are handed back (cancelled at stop).
        self._returns: set[asyncio.TimerHandle] = set()
        self.direct = DirectConsumption(self.exchange, prefetch) if consume_directly else None
        self.quiet_queues_first = QuietQueuesFirst()
        self._record_many = text(
            f"INSERT INTO {service}.inbox (event_id, message_type, body_sha256) "
            f"SELECT * FROM unnest(CAST(:event_ids AS uuid[]), CAST(:message_types AS text[]), "
            f"CAST(:digests AS bytea[])) "
            f"ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
        )
        # Asked only when a batch holds events already taken (rare): which of them came with other content.
        self._reused_with_other_content = text(
            f"SELECT i.event_id FROM unnest(CAST(:event_ids AS uuid[]), CAST(:digests AS bytea[])) "
            f"AS m(event_id, digest) JOIN {service}.inbox i ON i.event_id = m.event_id "
            f"WHERE i.body_sha256 <> m.digest"
        )
        self._record_dead_letter = text(
            f"INSERT INTO {service}.dead_letter (queue, routing_key, event_id, reason, attempts, body, published_by) "
            f"VALUES (:queue, :routing_key, :event_id, :reason, :attempts, :body, :published_by)"
        )

    def handles_batch(
        self,
        contract_class: type[C],
        *,
        routing_key: str | None = None,
        on_invalid: InvalidAnswer | None = None,
    ):
        """Decorator for high-volume consumers: `handler(session, [(message, envelope), ...])` applies many
        distinct events at once (e.g. one set-based statement). Same guarantees as `handles`: each event's effect
        is committed once; if the batch fails, each event is retried on its own."""

        def register(handler: BatchHandler) -> BatchHandler:
            self._subscribe(contract_class, handler, handler.__doc__, routing_key, on_invalid)
            return handler

        return register

    def _subscribe(
        self,
        contract_class: type[Contract],
        handler: BatchHandler,
        doc: str | None,
        routing_key: str | None,
        on_invalid: InvalidAnswer | None = None,
    ) -> None:
        key = routing_key or contract_class.message_type
        inbox_queue = InboxQueue(name=f"{self.service}.{key}", routing_key=key)
        self.queues.append(inbox_queue)
        queue = RabbitQueue(
            inbox_queue.name,
            queue_type=QueueType.QUORUM,
            durable=True,
            routing_key=key,
            arguments={
                "x-dead-letter-exchange": self.dead_letter_exchange.name,
                "x-dead-letter-routing-key": inbox_queue.name,
                "x-delivery-limit": self.max_delivery_attempts + 2,
            },
        )

        worker = self._worker(inbox_queue, handler)
        worker.on_invalid = on_invalid
        context = self.broker.context
        documented = documented_envelope(contract_class)

        async def on_delivery(body: bytes) -> None:
            # The broker runs without type casting (apply_types=False): `body` is the raw bytes, opened by
            # the inbox itself, and the annotation only documents the message in the AsyncAPI schema.
            worker.accept(context.get_local("message").raw_message)

        on_delivery.__annotations__["body"] = documented  # resolved type, for the AsyncAPI schema
        on_delivery.__name__ = f"{self.service}_{key.replace('.', '_')}"
        doc = described(doc)
        on_delivery.__doc__ = doc or described(contract_class.__doc__)
        subscriber = self.broker.subscriber(
            queue,
            self.exchange,
            ack_policy=AckPolicy.MANUAL,
            channel=Channel(
                prefetch_count=self.prefetch
            ),  # its own channel: batch acks cover only this queue
            decoder=_raw_body,
            title=f"{inbox_queue.name}:consume",
            description=(doc or "") + f"\n\nConsumes `{key}` ({contract_class.__name__}).",
        )
        subscriber(on_delivery)
        if self.direct is not None:
            # FastStream keeps the subscriber for the AsyncAPI document only; the direct path consumes the queue.
            subscriber.start = _documented_only  # type: ignore[method-assign]
            subscriber.stop = _documented_only  # type: ignore[method-assign]
            self.direct.add(queue, worker)

    async def start(self) -> None:
        """After the broker has connected: consume the inbox queues on the direct path (FastStream's subscribers
        are started by the broker itself)."""
        for worker in self._workers:
            worker.stopped = False
        if self.direct is not None:
            await self.direct.start(await self.broker.connect())  # the broker's robust connection

    async def stop(self) -> None:
        """Stop consuming and settle nothing more: the workers' tasks and pending retries are cancelled and awaited;
        whatever was delivered and not acked is redelivered by the broker.

        The workers stop before the direct path's channels close: an ack sent after our own `channel.close` (aiormq
        lets one through until the broker's close-ok is read) names a channel the broker has already freed, and
        RabbitMQ closes the whole connection for it (504 "expected 'channel.open'")."""
        for handle in self._returns:
            handle.cancel()
        self._returns.clear()
        tasks: list[asyncio.Future[None]] = [t for w in self._workers if (t := w.stop()) is not None]
        tasks.extend(self._retries)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.forget_unsettled()
        if self.direct is not None:
            await self.direct.stop()

    async def declare_dead_letter_queues(self) -> None:
        """Declare the dead-letter exchange and one dead-letter queue per inbox queue (after broker start)."""
        exchange = await self.broker.declare_exchange(self.dead_letter_exchange)
        for inbox_queue in self.queues:
            queue = await self.broker.declare_queue(
                RabbitQueue(inbox_queue.dead_letter_queue, queue_type=QueueType.QUORUM, durable=True)
            )
            await queue.bind(exchange, routing_key=inbox_queue.name)

    def _worker(self, queue: InboxQueue, handler: BatchHandler) -> _QueueWorker:
        # At most half the prefetch per batch: while one half is handled the broker is already delivering the
        # other, so a busy queue does not wait for deliveries after each ack.
        worker = _QueueWorker(
            self,
            queue,
            handler,
            max_batch=min(200, max(1, self.prefetch // 2)),
            busy_linger_milliseconds=self.busy_queue_linger_milliseconds,
        )
        self._workers.append(worker)
        return worker

    def forget_unsettled(self) -> None:
        """After the broker connection stops: unsettled deliveries will be redelivered, never acked from here."""
        for worker in self._workers:
            worker.forget_everything()

    async def deliver_batch(self, worker: _QueueWorker, batch: list[InboxDelivery]) -> None:
        """Handle a batch of deliveries in one transaction; if anything in it fails, handle each on its own.

        The fast path commits once for many messages (one WAL flush instead of hundreds); the fallback keeps
        per-message semantics exact: one bad message never holds back or rolls back the others.
        """
        opened: list[tuple[InboxDelivery, Envelope, Contract]] = []
        for message in batch:
            try:
                envelope, payload = open_envelope(message.body)
            except MalformedMessage as error:
                forged = (
                    self._refusal_of_publisher(message, error.envelope)
                    if isinstance(error, ContractViolation)
                    else None
                )
                if forged and isinstance(error, ContractViolation):
                    await self._fail(
                        worker, message, forged, event_id=str(error.envelope.event_id), final=True
                    )
                elif isinstance(error, ContractViolation) and worker.on_invalid is not None:
                    await self._answer_invalid(worker, message, error)
                else:
                    await self._fail(worker, message, error.reason, event_id=message.message_id)
                continue
            refusal = self._refusal_of_publisher(message, envelope)
            if refusal:  # a forgery, or a producer publishing what is not its own: never retried
                await self._fail(worker, message, refusal, event_id=str(envelope.event_id), final=True)
                continue
            opened.append((message, envelope, payload))
        if not opened:
            return
        if len(opened) > 1:
            back_off = BackOff()
            while True:
                started = time.perf_counter()
                try:
                    fresh = await self._handle_together(worker.handler, opened)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if is_transient(error) and all(worker.holds(m) for m, _, _ in opened):
                        await self._wait_for_infrastructure(worker, back_off, error)
                        continue
                    if is_transient(error):
                        return  # the channel went while waiting: the broker redelivers the batch
                    log.info("batch failed, handling its messages one by one", reason=type(error).__name__)
                    break
                else:
                    self._back_again(worker, back_off)
                    await worker.acknowledge([message for message, _, _ in opened])
                    worker.measured(len(opened), fresh, time.perf_counter() - started)
                    self.handled += fresh
                    self.duplicates += len(opened) - fresh
                    return
        for message, envelope, payload in opened:
            await self._deliver_one(worker, message, envelope, payload)

    async def _handle_together(
        self, handler: BatchHandler, opened: list[tuple[InboxDelivery, Envelope, Contract]]
    ) -> int:
        async with self.database.transaction() as session:
            ids = [envelope.event_id for _, envelope, _ in opened]
            types = [envelope.type for _, envelope, _ in opened]
            digests = [hashlib.sha256(message.body).digest() for message, _, _ in opened]
            result = await session.execute(
                self._record_many, {"event_ids": ids, "message_types": types, "digests": digests}
            )
            fresh = {row[0] for row in result}
            if len(fresh) < len(ids):
                await self._refuse_reused_event_ids(session, ids, digests, fresh)
            first_deliveries = []
            for _, envelope, payload in opened:
                if envelope.event_id in fresh:
                    fresh.discard(envelope.event_id)  # the same event twice in one batch: once only
                    first_deliveries.append((payload, envelope))
            try:
                if first_deliveries:
                    await handler(session, first_deliveries)
            finally:
                clear_message_context("event_id", "correlation_id", "message_type")
            return len(first_deliveries)

    def _refusal_of_publisher(self, message: InboxDelivery, envelope: Envelope) -> str | None:
        """Why the broker-validated publisher may not publish this event, if it may not."""
        if not self.verify_publishers:
            return None
        return publisher_refusal(envelope.type, message.user_id)

    async def _answer_invalid(
        self, worker: _QueueWorker, message: InboxDelivery, error: ContractViolation
    ) -> None:
        """A message that does not fit its contract, for a route that answers such messages: the answer (e.g. a
        refusal to the sender) and the inbox record in one transaction, then the ack. If answering fails, the
        message is dead-lettered with the reason it did not fit."""
        envelope = error.envelope
        back_off = BackOff()
        while True:
            try:
                async with self.database.transaction() as session:
                    result = await session.execute(
                        self._record_many,
                        {
                            "event_ids": [envelope.event_id],
                            "message_types": [envelope.type],
                            "digests": [hashlib.sha256(message.body).digest()],
                        },
                    )
                    first_time = result.first() is not None
                    if first_time and worker.on_invalid is not None:
                        await worker.on_invalid(session, envelope, error.reason)
                break
            except asyncio.CancelledError:
                raise
            except Exception as failure:
                if is_transient(failure) and worker.holds(message):
                    await self._wait_for_infrastructure(worker, back_off, failure)
                    continue
                await self._fail(worker, message, error.reason, event_id=str(envelope.event_id))
                return
        self._back_again(worker, back_off)
        await worker.acknowledge([message])
        worker.measured(1, int(first_time), 0.0)
        if first_time:
            self.handled += 1
        else:
            self.duplicates += 1

    async def _refuse_reused_event_ids(
        self, session: AsyncSession, ids: list[Any], digests: list[bytes], fresh: set[Any]
    ) -> None:
        """A redelivery is the same bytes; an event id arriving again with other content is a producer's bug or
        a forgery, never a duplicate to drop in silence."""
        first_digest: dict[Any, bytes] = {}
        for event_id, digest in zip(ids, digests, strict=True):
            if first_digest.setdefault(event_id, digest) != digest:
                raise EventIdReused(event_id)
        repeated = [(i, d) for i, d in zip(ids, digests, strict=True) if i not in fresh]
        result = await session.execute(
            self._reused_with_other_content,
            {"event_ids": [i for i, _ in repeated], "digests": [d for _, d in repeated]},
        )
        reused = [row[0] for row in result]
        if reused:
            raise EventIdReused(reused[0])

    async def _deliver_one(
        self, worker: _QueueWorker, message: InboxDelivery, envelope: Envelope, payload: Contract
    ) -> None:
        """Handle one delivery: inbox + effects in one transaction, then ack; retry or dead-letter on failure."""
        bind_message_context(
            event_id=str(envelope.event_id),
            correlation_id=str(envelope.correlation_id),
            message_type=envelope.type,
        )
        back_off = BackOff()
        try:
            while True:
                started = time.perf_counter()
                try:
                    first_time = await self._handle_together(worker.handler, [(message, envelope, payload)])
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if is_transient(error) and worker.holds(message):
                        # Not the message's fault: keep it, wait for the database or broker, try again. No
                        # delivery attempt is used up, so an outage never dead-letters good messages.
                        await self._wait_for_infrastructure(worker, back_off, error)
                        continue
                    if not is_transient(error):
                        await self._fail(
                            worker,
                            message,
                            failure_reason(error),
                            event_id=str(envelope.event_id),
                            final=isinstance(error, EventIdReused),  # retrying cannot cure it
                        )
                    return  # (transient, and the channel went meanwhile: the broker redelivers it)
                break
            self._back_again(worker, back_off)
            try:
                await worker.acknowledge([message])
            except Exception as error:  # committed but not acked: the redelivery is absorbed by the inbox
                log.warning("could not acknowledge a committed delivery", reason=type(error).__name__)
                worker.forget(message)
                return
            worker.measured(1, first_time, time.perf_counter() - started)
            if first_time:
                self.handled += 1
            else:
                self.duplicates += 1
                log.info("duplicate delivery absorbed by inbox")
        finally:
            clear_message_context("event_id", "correlation_id", "message_type")

    async def _wait_for_infrastructure(
        self, worker: _QueueWorker, back_off: BackOff, error: Exception
    ) -> None:
        """The database or broker is away: hold this queue's deliveries (the broker sends no more than the
        prefetch meanwhile) and wait, longer each time, until the next attempt."""
        if back_off.waits == 0:
            # The error's type only: a database error's text can quote the personal data it was given.
            log.warning(
                "infrastructure unavailable, holding deliveries",
                queue=worker.queue.name,
                reason=type(error).__name__,
            )
            worker.waiting.set(1)
        await back_off.wait()

    def _back_again(self, worker: _QueueWorker, back_off: BackOff) -> None:
        if back_off.waits:
            log.info("infrastructure back, deliveries resume", queue=worker.queue.name, waits=back_off.waits)
            worker.waiting.set(0)

    def _return_to_queue(self, worker: _QueueWorker, message: InboxDelivery) -> None:
        async def nack() -> None:
            try:
                await message.nack(requeue=True)
            except Exception as error:  # the channel closed meanwhile: the broker redelivers it anyway
                log.warning("could not return a failed delivery to its queue", reason=repr(error))
            finally:
                worker.forget(message)

        task = asyncio.ensure_future(nack())
        self._retries.add(task)
        task.add_done_callback(self._retries.discard)

    async def _fail(
        self, worker: _QueueWorker, message: InboxDelivery, reason: str, event_id: Any, *, final: bool = False
    ) -> None:
        # The delivery stays unsettled (so no batch acknowledgement can cover it) until it is nacked or acked here.
        queue = worker.queue
        # Quorum queues count earlier deliveries of the message in this header.
        delivered_before = (message.headers or {}).get("x-delivery-count", 0)
        attempt = (int(delivered_before) if isinstance(delivered_before, int | str) else 0) + 1
        body = message.body
        if attempt < self.max_delivery_attempts and not final:
            log.warning("delivery failed, will retry", queue=queue.name, attempt=attempt, reason=reason)
            worker.retried.inc()

            # Back off without holding up the rest of the queue, then hand the message back to the broker.
            def hand_back() -> None:
                self._returns.discard(handle)
                self._return_to_queue(worker, message)

            handle = asyncio.get_running_loop().call_later(min(0.05 * 2**attempt, 2.0), hand_back)
            self._returns.add(handle)
            return
        log.error("dead-lettering message", queue=queue.name, attempts=attempt, reason=reason)
        await self.broker.publish(
            body,
            exchange=self.dead_letter_exchange,
            routing_key=queue.name,
            headers={
                "x-dead-letter-reason": reason[:1000],
                "x-original-routing-key": message.routing_key or "",
                "x-attempts": attempt,
                "x-dead-lettered-at": time.time(),
                "x-service": self.service,
            },
            message_id=str(event_id) if event_id else None,
            persist=True,
        )
        # The dead letter is on its queue; its row in the service's table is the work tray, so a database outage
        # is waited out rather than losing the row.
        back_off = BackOff()
        while True:
            try:
                async with self.database.transaction() as session:
                    await session.execute(
                        self._record_dead_letter,
                        {
                            "queue": queue.name,
                            "routing_key": message.routing_key,
                            "event_id": str(event_id) if event_id else None,
                            "reason": reason,
                            "attempts": attempt,
                            "body": body,
                            "published_by": message.user_id,
                        },
                    )
                break
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if is_transient(error) and worker.holds(message):
                    await self._wait_for_infrastructure(worker, back_off, error)
                    continue
                log.error("dead letter not recorded (it is on its queue)", reason=type(error).__name__)
                break
        self._back_again(worker, back_off)
        await message.ack()
        worker.forget(message)
        self.dead_lettered += 1
        worker.dead_lettered.inc()
        worker.dead_letters.inc()


class EventIdReused(Exception):
    """An event id the inbox has taken before, arriving with different content."""

    def __init__(self, event_id: Any) -> None:
        super().__init__(f"event id {event_id} was already received with different content")


def _tag(message: InboxDelivery) -> int:
    """The delivery tag (every consumed delivery has one; only a basic.get reply lacks it)."""
    tag = message.delivery_tag
    assert tag is not None
    return tag


class _QueueWorker:
    """Takes deliveries from one queue as fast as they come and handles them in adaptive batches: one at a time
    when traffic is light (no added latency), many per transaction when it is heavy.

    On a busy queue (its last batch held at least `BUSY_BATCH` deliveries) the worker lingers
    `busy_linger_milliseconds` before taking a batch smaller than `max_batch`, so that more deliveries gather:
    on a saturated machine a batch otherwise holds only what arrived during the last one, and the
    per-transaction cost (inbox insert, statements, commit) is paid for a few messages instead of many. With 2,000 balance changes a second on two
    cores, 10 ms let recovery, the agents gateway and breathing space keep up instead of falling 9,000-45,000
    behind (benchmarks/breathing_space_latency.py). A quiet queue, such as holds, never lingers, and while one of
    its batches is in hand a busy queue waits before its next batch (`quiet_queues_first.py`).

    A batch is also bounded by the size of its bodies, and a queue is busy by size as well as by count: a delivery
    stating many events (billing's `BalancesChanged`, up to 1,000 balance changes) costs its handler as much as
    the events it states, and a batch of 128 of them would hold a quiet queue's hold behind it for a second.
    """

    BUSY_BATCH = 20
    BUSY_BATCH_BYTES = 16 * 1024
    """A batch this large is a busy queue's, however few its deliveries (about 75 balance changes stated)."""
    MAX_BATCH_BYTES = 128 * 1024
    """Past its first delivery a batch takes no more bodies than this (about 280 single balance changes, or 600
    stated together), so a handler's batch stays tens of milliseconds long."""

    def __init__(
        self,
        consumer: InboxConsumer,
        queue: InboxQueue,
        handler: BatchHandler,
        max_batch: int,
        busy_linger_milliseconds: int,
    ) -> None:
        self.consumer = consumer
        self.queue = queue
        self.handler = handler
        self.max_batch = max_batch
        self.busy_linger_seconds = busy_linger_milliseconds / 1000
        self.pending: list[InboxDelivery] = []
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        # The metric series of this queue, looked up once (a label lookup per message costs more than the count).
        labels = (consumer.service, queue.name)
        self.handled = INBOX_DELIVERIES.labels(*labels, "handled")
        self.duplicates = INBOX_DELIVERIES.labels(*labels, "duplicate")
        self.retried = INBOX_DELIVERIES.labels(*labels, "retried")
        self.dead_lettered = INBOX_DELIVERIES.labels(*labels, "dead_lettered")
        self.dead_letters = DEAD_LETTERS.labels(*labels)
        self.waiting = INBOX_WAITING_FOR_INFRASTRUCTURE.labels(*labels)
        self.batch_size = INBOX_BATCH_SIZE.labels(*labels)
        self.batch_seconds = INBOX_BATCH_SECONDS.labels(*labels)
        self.on_invalid: InvalidAnswer | None = None
        # Deliveries not yet acked or nacked, in delivery order (this queue has a channel of its own, so delivery
        # tags rise in this order and a run of the oldest can be acknowledged with one `multiple` frame).
        self.unsettled: dict[int, InboxDelivery] = {}
        self.stopped = False
        # Busy: its last batch held at least BUSY_BATCH deliveries. A busy queue gives way to quiet ones.
        self.is_busy = False

    def measured(self, deliveries: int, fresh: int, seconds: float) -> None:
        """A batch of `deliveries` committed and acked, `fresh` of them seen for the first time."""
        self.handled.inc(fresh)
        if deliveries > fresh:
            self.duplicates.inc(deliveries - fresh)
        self.batch_size.observe(deliveries)
        self.batch_seconds.observe(seconds)

    def holds(self, message: InboxDelivery) -> bool:
        """The delivery is still this worker's to settle (its channel has not gone since). The very delivery, not
        its tag: a reopened channel numbers its deliveries from 1 again."""
        return self.unsettled.get(_tag(message)) is message

    def forget(self, message: InboxDelivery) -> None:
        """This delivery has been settled on its own (returned for a retry, or dead-lettered and acked)."""
        if self.holds(message):
            del self.unsettled[_tag(message)]

    async def acknowledge(self, messages: Sequence[InboxDelivery]) -> None:
        """Ack committed deliveries: the oldest run with one frame, any others one by one.

        A `multiple` ack covers every delivery on the channel up to its tag, so it is used only when every
        unsettled delivery up to that tag is in this batch: one still waiting for its retry (or left from a
        channel that was reopened) makes the batch ack one by one instead. A delivery no longer held (its channel
        went, so the broker redelivers it) is not acked: its tag may now name another delivery.
        """
        by_tag = {_tag(message): message for message in messages if self.holds(message)}
        run_end = None
        for tag in self.unsettled:
            if tag not in by_tag:
                break
            run_end = tag
        if run_end is not None and all(tag in by_tag for tag in self.unsettled if tag <= run_end):
            await by_tag[run_end].ack(multiple=True)
            for tag in [t for t in self.unsettled if t <= run_end]:
                del self.unsettled[tag]
                by_tag.pop(tag, None)
        for tag, message in by_tag.items():
            await message.ack()
            self.unsettled.pop(tag, None)

    def accept(self, message: InboxDelivery) -> None:
        if self.stopped:  # a delivery read while the consumer stops: the broker redelivers it
            return
        self.unsettled[_tag(message)] = message
        self.pending.append(message)
        self.wakeup.set()
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.run(), name=f"inbox-{self.queue.name}")

    async def run(self) -> None:
        while True:
            await self.wakeup.wait()
            self.wakeup.clear()
            last_batch_busy = False
            while self.pending:
                if last_batch_busy and self.busy_linger_seconds and not self._a_full_batch_waits():
                    await asyncio.sleep(self.busy_linger_seconds)
                turns = self.consumer.quiet_queues_first  # a quiet queue's batch in hand goes first
                if self.is_busy:
                    await turns.busy_turn()
                taken, size = self._next_batch()
                batch, self.pending = self.pending[:taken], self.pending[taken:]
                last_batch_busy = taken >= self.BUSY_BATCH or size >= self.BUSY_BATCH_BYTES
                try:
                    with contextlib.nullcontext() if self.is_busy else turns.quiet_batch():
                        await self.consumer.deliver_batch(self, batch)
                    self.is_busy = last_batch_busy
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # e.g. the dead-letter publish failed: let the broker redeliver
                    if is_transient(error):  # e.g. the channel went while the batch was settled: not a fault
                        log.warning(
                            "infrastructure went while settling a batch; it is redelivered", reason=str(error)
                        )
                    else:
                        log.error("could not settle a batch, returning it to the queue", reason=str(error))
                    for message in batch:
                        if self.holds(message):  # (never one already settled: that would close the channel)
                            with contextlib.suppress(Exception):
                                await message.nack(requeue=True)
                            self.forget(message)

    def _next_batch(self) -> tuple[int, int]:
        """How many of the pending deliveries the next batch takes, and their bodies' size: at most `max_batch`
        and, past the first, at most `MAX_BATCH_BYTES`."""
        size = 0
        for taken, message in enumerate(self.pending[: self.max_batch]):
            body = len(message.body)
            if taken and size + body > self.MAX_BATCH_BYTES:
                return taken, size
            size += body
        return min(len(self.pending), self.max_batch), size

    def _a_full_batch_waits(self) -> bool:
        """Enough is pending for a full batch (no point lingering for more)."""
        if len(self.pending) >= self.max_batch:
            return True
        return sum(len(message.body) for message in self.pending) >= self.MAX_BATCH_BYTES

    def stop(self) -> asyncio.Task[None] | None:
        """Take no more deliveries; the task handling them, to be cancelled and awaited by the consumer."""
        self.stopped = True
        self.forget_everything()
        task, self.task = self.task, None
        return task

    def forget_everything(self) -> None:
        """The channel is gone (stop, reconnect): what it delivered and was not settled will be redelivered."""
        self.pending.clear()
        self.unsettled.clear()
