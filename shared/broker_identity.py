"""Who may publish what: each service, and the council's own systems, connect to RabbitMQ as a user of their own.

The broker enforces both halves of the rule:
- topic permissions let a user publish on the events exchange only the routing keys it owns (billing only
  `billing.*`, council systems only `council_systems.*`, ...), so a forged `writeoff.write_off.approved` from any
  other connection is refused by the broker itself;
- every message carries the AMQP `user-id` property, which RabbitMQ checks against the connection's user, so the
  consumer knows who really published it and refuses (dead letter, with the reason) an event whose publisher does
  not own its type. A message without a user id is refused the same way.

`PUBLISHERS` is the one table of ownership. The broker users themselves are created by `deploy/local/infra.py`
(local system and test sessions), compose and Kubernetes (see deploy/README.md), with the permissions from
`broker_permissions`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

PUBLISHERS: dict[str, str] = {
    "billing": "billing",
    "recovery": "recovery",
    "breathing_space": "breathing_space",
    "agents_gateway": "agents_gateway",
    "writeoff": "writeoff",
    "council_systems": "council_systems",
    "platform": "platform",  # the business clock, moved only by tests and the demo
}
"""Routing-key prefix (the part before the first dot) -> the one broker user allowed to publish it."""

EVENTS_EXCHANGE = "council.events"
DEAD_LETTER_EXCHANGE = "council.dead-letter"


def owner_of(message_type: str) -> str | None:
    """The broker user that owns a message type (None: nobody may publish it)."""
    return PUBLISHERS.get(message_type.split(".", 1)[0])


def publisher_refusal(message_type: str, user_id: str | None) -> str | None:
    """Why a consumer must refuse this message, or None when its publisher owns its type."""
    owner = owner_of(message_type)
    if owner is None:
        return f"no service owns {message_type!r}: nobody may publish it"
    if user_id is None:
        return f"{message_type} arrived without a broker user id: its publisher is unknown"
    if user_id != owner:
        return f"{message_type} was published by broker user {user_id!r}; only {owner!r} may publish it"
    return None


@dataclass(frozen=True)
class BrokerPermissions:
    """What one broker user may do (RabbitMQ regular expressions)."""

    user: str
    configure: str
    write: str
    read: str
    publish_topics: str
    """Routing keys the user may publish on the events exchange (topic permission, write)."""


def broker_permissions(user: str) -> BrokerPermissions:
    """A service or council system: its own queues, the shared exchanges, its own routing keys only."""
    own = re.escape(user)
    shared = rf"{re.escape(EVENTS_EXCHANGE)}|{re.escape(DEAD_LETTER_EXCHANGE)}"
    # amq.gen-* are the exclusive queues each process declares to hear the business clock; amq.default is the
    # exchange through which the dead-letter tray replays a message to its own queue.
    return BrokerPermissions(
        user=user,
        configure=rf"^({own}\..*|amq\.gen-.*|{shared})$",
        write=rf"^({own}\..*|amq\.gen-.*|amq\.default|{shared})$",
        read=rf"^({own}\..*|amq\.gen-.*|{shared})$",
        publish_topics=rf"^{own}\.",
    )


DEAD_LETTER_TRAY = "dead_letter_tray"
"""The operators' replay tool: it may only publish to a queue through the default exchange, and it is the one user
allowed (RabbitMQ's `impersonator` tag) to give a replayed message the user id of the service that first
published it. It never replays a message whose publisher did not own it."""


def tray_permissions() -> BrokerPermissions:
    """The dead-letter tray replays to one queue at a time and reads or declares nothing."""
    return BrokerPermissions(
        DEAD_LETTER_TRAY, configure="^$", write=r"^amq\.default$", read="^$", publish_topics="^$"
    )


def broker_users() -> list[str]:
    """Every broker user the platform's services and council systems publish as."""
    return sorted(set(PUBLISHERS.values()))


def user_of(amqp_url: str) -> str | None:
    """The broker user an AMQP URL connects as."""
    return urlsplit(amqp_url).username or None


def as_user(amqp_url: str, user: str, password: str) -> str:
    """The same broker, connected as another user."""
    parts = urlsplit(amqp_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}" + (
        f":{parts.port}" if parts.port else ""
    )
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def load_broker_passwords(path: str | Path | None) -> dict[str, str]:
    """The broker users' passwords written by the local infrastructure (user -> password); empty without one."""
    if not path:
        return {}
    file = Path(path)
    return json.loads(file.read_text()) if file.exists() else {}


def amqp_url_for(user: str, amqp_url: str, passwords_file: str | Path | None) -> str:
    """The URL a service (or council system) connects with: its own user where the local infrastructure made
    one; otherwise the URL as configured (in compose and Kubernetes each service's AMQP_URL names its user)."""
    password = load_broker_passwords(passwords_file).get(user)
    return as_user(amqp_url, user, password) if password else amqp_url
