"""Dead letters as a work tray: what an operator lists, reads, replays after a fix, or discards with a reason.

The inbox puts every message it could not handle in the service's `dead_letter` table (and on the queue's
dead-letter queue). Here each is settled exactly once:

- **replay** publishes the message again, straight to the one inbox queue it came from (the default exchange,
  routing key = queue name), so no other service hears it twice. It goes through the inbox like any delivery:
  an event already applied changes nothing, so replaying is always safe.
- **discard** records that the council decided the message needs no action, and why.

Every replay and discard is kept in `dead_letter_action` with who did it and why. A message that fails again
after a replay comes back as a new dead letter, so the tray shows how often an event has been dead-lettered.

Listing never shows a message's body (it carries names, addresses, amounts); `body_of` is for people entitled to
read personal data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aio_pika
import asyncpg

from shared.broker_identity import DEAD_LETTER_TRAY, amqp_url_for, owner_of
from shared.persistence.database import asyncpg_dsn

SETTLEMENTS = ("replayed", "discarded")


@dataclass(frozen=True)
class DeadLetter:
    """One message the service could not handle, as the tray lists it (no personal data)."""

    id: int
    queue: str
    routing_key: str | None
    event_id: str | None
    reason: str
    attempts: int
    dead_lettered_at: datetime
    first_seen_at: datetime
    times_dead_lettered: int
    settlement: str | None
    settled_by: str | None
    settled_at: datetime | None
    settlement_reason: str | None


class DeadLetterError(Exception):
    """A tray action refused: the dead letter does not exist or was already settled."""


class DeadLetterTray:
    """The dead-letter tray of one service's schema."""

    def __init__(
        self, service: str, *, database_url: str, amqp_url: str, broker_passwords_file: str | None = None
    ) -> None:
        self.service = service
        self.database_url = asyncpg_dsn(database_url)
        # Replays go out as the tray's own broker user, which alone may carry the first publisher's user id.
        self.amqp_url = amqp_url_for(DEAD_LETTER_TRAY, amqp_url, broker_passwords_file)
        table = f"{service}.dead_letter"
        self._list = f"""
            SELECT d.id, d.queue, d.routing_key, d.event_id, d.reason, d.attempts, d.dead_lettered_at,
                   min(e.dead_lettered_at) AS first_seen_at, count(e.id) AS times_dead_lettered,
                   d.settlement, d.settled_by, d.settled_at, d.settlement_reason
              FROM {table} d
              JOIN {table} e ON e.queue = d.queue
                            AND (e.event_id = d.event_id OR (e.event_id IS NULL AND e.id = d.id))
             WHERE ($1::boolean OR d.settled_at IS NULL) AND ($2::text IS NULL OR d.queue = $2)
             GROUP BY d.id
             ORDER BY d.id
             LIMIT $3"""
        self._body = f"SELECT body FROM {table} WHERE id = $1"
        self._take_unsettled = (
            f"SELECT id, queue, routing_key, event_id, body, published_by FROM {table} "
            f"WHERE id = ANY($1::bigint[]) AND settled_at IS NULL "
            f"ORDER BY id FOR UPDATE"
        )
        self._all_unsettled = (
            f"SELECT id FROM {table} WHERE settled_at IS NULL AND ($1::text IS NULL OR queue = $1)"
        )
        self._settle = (
            f"UPDATE {table} SET settled_at = now(), settled_by = $2, settlement = $3, settlement_reason = $4 "
            f"WHERE id = ANY($1::bigint[])"
        )
        self._record_action = (
            f"INSERT INTO {service}.dead_letter_action (dead_letter_id, action, acted_by, reason) "
            f"SELECT unnest($1::bigint[]), $2, $3, $4"
        )

    async def _connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.database_url)

    async def dead_letters(
        self, *, include_settled: bool = False, queue: str | None = None, limit: int = 500
    ) -> list[DeadLetter]:
        """The tray: unsettled dead letters (or all), oldest first, with how often each event was dead-lettered."""
        connection = await self._connect()
        try:
            rows = await connection.fetch(self._list, include_settled, queue, limit)
        finally:
            await connection.close()
        return [DeadLetter(**dict(row)) for row in rows]

    async def body_of(self, dead_letter_id: int) -> bytes:
        """The message as it arrived (personal data: for people entitled to read it)."""
        connection = await self._connect()
        try:
            body = await connection.fetchval(self._body, dead_letter_id)
        finally:
            await connection.close()
        if body is None:
            raise DeadLetterError(f"no dead letter {dead_letter_id} in {self.service}")
        return bytes(body)

    async def unsettled_ids(self, queue: str | None = None) -> list[int]:
        """Every dead letter still waiting (for 'replay all' after a fix)."""
        connection = await self._connect()
        try:
            return [row["id"] for row in await connection.fetch(self._all_unsettled, queue)]
        finally:
            await connection.close()

    async def replay(self, ids: Sequence[int], *, by: str, reason: str) -> int:
        """Publish each dead letter again to the queue it came from, with publisher confirms, then mark it
        replayed. A crash between the two replays it again later, which the inbox absorbs."""
        return await self._settle_each(ids, "replayed", by=by, reason=reason, publish=True)

    async def discard(self, ids: Sequence[int], *, by: str, reason: str) -> int:
        """Settle dead letters without replaying them, saying why."""
        return await self._settle_each(ids, "discarded", by=by, reason=reason, publish=False)

    async def _settle_each(
        self, ids: Sequence[int], settlement: str, *, by: str, reason: str, publish: bool
    ) -> int:
        if not by.strip() or not reason.strip():
            raise DeadLetterError("a replay or discard needs who did it and why")
        connection = await self._connect()
        broker = await aio_pika.connect(self.amqp_url) if publish else None
        try:
            async with connection.transaction():
                rows = await connection.fetch(self._take_unsettled, list(ids))
                missing = sorted(set(ids) - {row["id"] for row in rows})
                if missing:
                    raise DeadLetterError(f"not in the tray (unknown or already settled): {missing}")
                if broker is not None:
                    publishers = {row["id"]: _first_publisher(row) for row in rows}
                    forged = [dead_letter for dead_letter, user in publishers.items() if user is None]
                    if forged:
                        raise DeadLetterError(
                            f"never replayed: {forged} were published by a broker user that does not own them"
                        )
                    channel = await broker.channel(publisher_confirms=True, on_return_raises=True)
                    for row in rows:
                        # mandatory: a queue that no longer exists refuses the message instead of dropping it.
                        await channel.default_exchange.publish(
                            aio_pika.Message(
                                bytes(row["body"]),
                                message_id=row["event_id"],
                                content_type="application/json",
                                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                                headers={"x-replayed-by": by, "x-replayed-dead-letter": row["id"]},
                                user_id=publishers[row["id"]],
                            ),
                            routing_key=row["queue"],
                            mandatory=True,
                        )
                settled = [row["id"] for row in rows]
                await connection.execute(self._settle, settled, by, settlement, reason)
                await connection.execute(self._record_action, settled, settlement, by, reason)
            return len(rows)
        finally:
            if broker is not None:
                await broker.close()
            await connection.close()


def _first_publisher(row: asyncpg.Record) -> str | None:
    """The broker user who first published the dead letter, if it owned what it published (else None)."""
    try:
        message_type = json.loads(bytes(row["body"])).get("type") or row["routing_key"] or ""
    except (ValueError, AttributeError):
        message_type = row["routing_key"] or ""
    published_by = row["published_by"]
    return published_by if published_by and published_by == owner_of(str(message_type)) else None
