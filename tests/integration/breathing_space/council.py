"""A council's world for the breathing space tests: people and debts as billing announces them, notification
documents as the Insolvency Service sends them, signed requests, and a listener on the bus for what the
service broadcasts. Every test makes its own people and references, so tests never see each other's rows."""

from __future__ import annotations

import asyncio
import json
import os
import random
import string
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import aio_pika

from services.breathing_space.domain.request_authentication import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign_request,
)
from shared.contracts.billing import CustomerRegistered, DebtRaised, InstalmentDue
from shared.contracts.council_systems import LiableParty, PostalAddress
from tests.council_bus import fetch_value, publish
from tests.heard_on_the_broker import HeardOnTheBroker
from tests.integration.breathing_space.conftest import SECRET


def unique_surname() -> str:
    """Letters only (matching compares letters), different in every test."""
    return "Fletcher" + "".join(random.choices(string.ascii_lowercase, k=10))


def a_person(surname: str | None = None, postcode: str = "DE22 3SJ") -> LiableParty:
    """A council tax payer in Derby, born on a day of their own (tests share one customer projection)."""
    return LiableParty(
        kind="person",
        title="Ms",
        first_names="Joanne Mary",
        surname=surname or unique_surname(),
        date_of_birth=date(1940, 1, 1) + timedelta(days=random.randrange(25_000)),
        address=PostalAddress(lines=["14 Abbey Street", "Derby"], postcode=postcode),
    )


async def register(person: LiableParty) -> UUID:
    """Billing registers the person as a customer."""
    customer_id = uuid4()
    await publish(CustomerRegistered(customer_id=customer_id, identity=person), producer="billing")
    return customer_id


async def raise_debt(
    customer_ids: Iterable[UUID],
    debt_type: str,
    reference: str,
    amount_pence: int,
    raised_on: date = date(2026, 4, 1),
    instalments: Iterable[tuple[date, int]] = (),
) -> UUID:
    """Billing raises a debt against the customers (several: a joint debt), with its schedule if it has one."""
    debt_id = uuid4()
    await publish(
        DebtRaised(
            debt_id=debt_id,
            customer_ids=list(customer_ids),
            debt_type=debt_type,
            amount_pence=amount_pence,
            financial_year="2026/27",
            due_date=raised_on,
            raised_on=raised_on,
            originating_service="Revenues",
            income_code="CT01",
            external_reference=reference,
            evidence_reference="bill",
            instalments=[
                InstalmentDue(number=n, due_date=due, amount_pence=pence)
                for n, (due, pence) in enumerate(instalments, 1)
            ],
        ),
        producer="billing",
    )
    return debt_id


def debtor_of(person: LiableParty) -> dict[str, Any]:
    """The person as the Insolvency Service holds them."""
    return {
        "forenames": person.first_names,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "current_address": {
            "lines": person.address.lines[:1],
            "town": "Derby",
            "postcode": person.address.postcode,
        },
    }


def notification(
    kind: str,
    moratorium: str,
    person: LiableParty,
    debts: list[tuple[str, str, int]] | None = None,
    *,
    reference: str | None = None,
    version: int = 1,
    issued_at: datetime | None = None,
    **fields: Any,
) -> bytes:
    """A notification document (JSON bytes) in the documented format."""
    return json.dumps(
        {
            "schema_version": "1",
            "kind": kind,
            "notification_reference": reference or f"ISN-{uuid4().hex[:12]}",
            "version": version,
            "moratorium_reference": moratorium,
            "issued_at": (issued_at or datetime.now(UTC)).isoformat(),
            "debtor": debtor_of(person),
            "debts": [
                {"creditor_reference": ref, "debt_type": kind_, "amount_pence": amount}
                for ref, kind_, amount in (debts or [])
            ],
            **{k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()},
        }
    ).encode()


def a_moratorium_reference() -> str:
    return f"BS-{uuid4().hex[:12]}"


def signed(
    body: bytes, *, nonce: str | None = None, timestamp: int | None = None, secret: str = SECRET
) -> dict[str, str]:
    """The headers the Insolvency Service sends with a pushed notification."""
    nonce = nonce or uuid4().hex
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return {
        TIMESTAMP_HEADER: stamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign_request(secret.encode(), stamp, nonce, body),
        "content-type": "application/json",
    }


def signature_headers(body: bytes, **signing: Any) -> dict[str, str]:
    """The three signature values alone (as AMQP headers or in a `.signature` file)."""
    headers = signed(body, **signing)
    headers.pop("content-type")
    return headers


async def send_to_notifications_queue(
    body: bytes,
    queue: str = "breathing_space.insolvency_service.notifications",
    *,
    headers: dict[str, str] | None = None,
) -> None:
    """The council's integration forwards a raw document, with the Insolvency Service's signature in the
    message headers (`headers` to send other ones, `{}` for none), to the service's queue."""
    connection = await aio_pika.connect(os.environ["AMQP_URL"])
    try:
        channel = await connection.channel(publisher_confirms=True)
        await channel.default_exchange.publish(
            aio_pika.Message(
                body,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=uuid4().hex,
                headers=signature_headers(body) if headers is None else headers,  # type: ignore[arg-type]
            ),
            routing_key=queue,
        )
    finally:
        await connection.close()


def drop_in_folder(folder: Path, name: str, body: bytes, *, signature: dict[str, str] | None = None) -> None:
    """The Insolvency Service's transfer drops a file: its `.signature` first (`{}`: none), then the document,
    written as `.part` and renamed when complete."""
    headers = signature_headers(body) if signature is None else signature
    if headers:
        (folder / f"{name}.signature").write_text("".join(f"{k}: {v}\n" for k, v in headers.items()))
    (folder / f"{name}.part").write_bytes(body)
    (folder / f"{name}.part").rename(folder / name)


class BusListener(HeardOnTheBroker):
    """Hears everything published with the given routing key patterns (breathing space's by default)."""

    def __init__(self, *patterns: str) -> None:
        super().__init__(*(patterns or ("breathing_space.#",)))

    def messages(self, contract: type, moratorium_reference: str) -> list[Any]:
        return [
            payload
            for _, payload in self.heard
            if isinstance(payload, contract)
            and getattr(payload, "moratorium_reference", None) == moratorium_reference
        ]

    async def wait_for(
        self, contract: type, moratorium_reference: str, count: int = 1, timeout: float = 20
    ) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(found := self.messages(contract, moratorium_reference)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{count} {contract.__name__} for {moratorium_reference} not heard within {timeout}s; "
                    f"heard {[type(p).__name__ for _, p in self.heard]}"
                )
            await asyncio.sleep(0.05)
        return found


async def known_to_breathing_space(debt_id: UUID) -> bool:
    """Whether breathing space has taken in billing's `DebtRaised` for the debt (a balance alone is not enough)."""
    found = await fetch_value(
        "SELECT count(*) FROM breathing_space.debt WHERE debt_id = $1 AND raised_on IS NOT NULL", debt_id
    )
    return bool(found == 1)
