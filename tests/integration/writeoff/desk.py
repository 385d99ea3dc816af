"""What the write-off integration tests share: debts raised on the bus, requests from recovery, officers signed
in over HTTP, and a listener that hears what the write-off service publishes."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import aio_pika
import httpx

from shared.contracts.billing import CustomerRegistered, DebtRaised, PaymentReceivedOnWrittenOffDebt
from shared.contracts.council_systems import LiableParty, PostalAddress
from shared.contracts.envelope import Envelope, open_envelope
from shared.contracts.recovery import WriteOffRequested
from tests.council_bus import eventually, fetch_value, publish
from tests.demo_people import unique_surname
from tests.identity import officer_headers

TODAY = date(2026, 11, 23)


def a_debt(**overrides: Any) -> DebtRaised:
    values: dict[str, Any] = dict(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type="sundry",
        amount_pence=800_00,
        financial_year="2025/26",
        due_date=date(2025, 6, 1),
        raised_on=date(2025, 5, 1),
        originating_service="Parking Services",
        income_code="PK100",
        external_reference=f"INV-{uuid4()}",
        evidence_reference="invoice",
    )
    values.update(overrides)
    return DebtRaised(**values)


def recovery_asks(debt: DebtRaised, **overrides: Any) -> WriteOffRequested:
    values: dict[str, Any] = dict(
        request_id=uuid4(),
        case_id=uuid4(),
        debt_id=debt.debt_id,
        customer_id=debt.customer_ids[0],
        debt_type=debt.debt_type,
        income_code=debt.income_code,
        originating_service=debt.originating_service,
        financial_year=debt.financial_year,
        amount_pence=debt.amount_pence,
        reason_code="absconded_untraceable",
        evidence=["trace report TR-1", "returned post"],
        requested_by="recovery",
        requested_on=TODAY,
    )
    values.update(overrides)
    return WriteOffRequested(**values)


async def debt_known(debt: DebtRaised) -> DebtRaised:
    """Publish the debt as billing would and wait until the write-off service has it."""
    await publish(debt, producer="billing")
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM writeoff.debt_standing WHERE debt_id = $1", debt.debt_id),
        lambda n: n == 1,
    )
    return debt


async def debtor_known(
    customer_id: UUID,
    *,
    surname: str | None = None,
    postcode: str = "DE1 2AB",
    references: dict[str, str] | None = None,
) -> CustomerRegistered:
    """Publish the customer as billing registers them and wait until the write-off service knows their name."""
    registered = CustomerRegistered(
        customer_id=customer_id,
        identity=LiableParty(
            kind="person",
            title="Ms",
            first_names="Alice",
            surname=surname or unique_surname("Atkinson"),
            address=PostalAddress(lines=["4 Friar Gate", "Derby"], postcode=postcode),
            references=references or {},
        ),
    )
    await publish(registered, producer="billing")
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM writeoff.debtor WHERE customer_id = $1", customer_id),
        lambda n: n == 1,
    )
    return registered


async def request_status(request_id: UUID) -> str | None:
    return await fetch_value(
        "SELECT status FROM writeoff.write_off_request WHERE request_id = $1", request_id
    )


async def settled_status(request_id: UUID) -> str | None:
    """The request's status once it has left 'awaiting_debt' (or None if it never arrives)."""
    return await eventually(lambda: request_status(request_id), lambda s: s not in (None, "awaiting_debt"))


async def outbox_rows(routing_key: str, field: str, value: Any) -> int:
    """How many messages of this type the write-off service has queued with data[field] == value."""
    return await fetch_value(
        "SELECT count(*) FROM writeoff.outbox WHERE routing_key = $1 "
        "AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> $2 = $3",
        routing_key,
        field,
        str(value),
    )


class Officer:
    """A demo person of the identity provider (the write-off people of services/writeoff/approvers.demo.yaml),
    signed in through its real sign-in form, calling the JSON API with the bearer token it issued."""

    def __init__(self, client: httpx.AsyncClient, person_id: str, headers: dict[str, str]) -> None:
        self.client = client
        self.person_id = person_id
        self.headers = headers

    @classmethod
    async def sign_in(cls, client: httpx.AsyncClient, person_id: str) -> Officer:
        headers = await asyncio.to_thread(officer_headers, person_id)
        return cls(client, person_id, headers)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, headers=self.headers, **kwargs)

    async def post(self, path: str, body: Any = None) -> httpx.Response:
        return await self.client.post(path, headers=self.headers, json=body)

    async def delete(self, path: str, body: Any = None) -> httpx.Response:
        return await self.client.request("DELETE", path, headers=self.headers, json=body)

    async def schedule(self, *request_ids: UUID) -> dict[str, Any]:
        """Build a schedule of exactly these pending requests and return it as presented."""
        built = await self.post("/api/schedules", {"request_ids": [str(r) for r in request_ids]})
        assert built.status_code == 201, built.text
        assert len(built.json()["schedule_ids"]) == 1, built.json()
        shown = await self.get(f"/api/schedules/{built.json()['schedule_ids'][0]}")
        assert shown.status_code == 200, shown.text
        return shown.json()

    async def sign(
        self, schedule: dict[str, Any], rejections: dict[str, str] | None = None, *, no_interest: bool = True
    ) -> httpx.Response:
        return await self.post(
            f"/api/schedules/{schedule['schedule_id']}/signature",
            {
                "schedule_hash": schedule["schedule_hash"],
                "statement_of_no_interest": no_interest,
                "rejections": rejections or {},
            },
        )


class BusListener:
    """Hears every `writeoff.*` event on the exchange, from the moment it starts."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[Envelope, Any]] = []

    async def start(self) -> BusListener:
        self.connection = await aio_pika.connect(os.environ["AMQP_URL"])
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange("council.events", aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue("", exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="writeoff.#")

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                self.envelopes.append(open_envelope(message.body))

        await queue.consume(on_message)
        return self

    async def stop(self) -> None:
        await self.connection.close()

    def heard(self, message_type: str, **data: Any) -> list[Any]:
        """The payloads of this type whose fields equal `data`."""
        return [
            payload
            for envelope, payload in self.envelopes
            if envelope.type == message_type
            and all(str(getattr(payload, field)) == str(value) for field, value in data.items())
        ]

    async def hears(self, message_type: str, count: int = 1, timeout: float = 20.0, **data: Any) -> list[Any]:
        """Wait until `count` matching messages have been heard."""
        return await eventually(
            lambda: _now(self.heard(message_type, **data)), lambda found: len(found) >= count, timeout
        )


async def _now(value: Any) -> Any:
    await asyncio.sleep(0)
    return value


async def pending_requests_from_recovery(
    count: int, amount_pence: int, **debt_fields: Any
) -> list[WriteOffRequested]:
    """`count` debts raised and asked to be written off by recovery, each now awaiting a schedule."""
    requests = []
    for _ in range(count):
        debt = await debt_known(a_debt(amount_pence=amount_pence, **debt_fields))
        request = recovery_asks(debt)
        await publish(request, producer="recovery")
        requests.append(request)
    for request in requests:
        assert await settled_status(request.request_id) == "pending"
    return requests


async def nothing_published_for(schedule: dict[str, Any]) -> bool:
    """True when no approval or rejection of this schedule's lines was queued and it still awaits a decision."""
    approved = await outbox_rows("writeoff.write_off.approved", "schedule_id", schedule["schedule_id"])
    rejected = 0
    for line in schedule["lines"]:
        rejected += await outbox_rows("writeoff.write_off.rejected", "request_id", line["request_id"])
    status = await fetch_value(
        "SELECT status FROM writeoff.write_off_schedule WHERE schedule_id = $1", UUID(schedule["schedule_id"])
    )
    return approved == 0 and rejected == 0 and status == "awaiting_decision"


async def a_payment_for_consideration(
    client: Any, bus: Any, reason_code: str
) -> PaymentReceivedOnWrittenOffDebt:
    """An £800 debt written off for `reason_code` (signed by the Acting Head), then £300 paid on it."""
    debt = await debt_known(a_debt(amount_pence=800_00))
    order: dict[str, Any] = (
        {"insolvency_order_date": date(2026, 1, 15), "owed_at_order_date_pence": debt.amount_pence}
        if reason_code == "formal_insolvency"
        else {}
    )
    request = recovery_asks(debt, reason_code=reason_code, evidence=["review LR-7"], **order)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)
    assert (await (await Officer.sign_in(client, "derby.deputy_head")).sign(schedule)).status_code == 200
    await bus.hears("writeoff.write_off.approved", request_id=request.request_id)
    payment = PaymentReceivedOnWrittenOffDebt(
        payment_id=uuid4(), debt_id=debt.debt_id, amount_pence=300_00, received_on=TODAY
    )
    await publish(payment, producer="billing")
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM writeoff.payment_for_consideration WHERE payment_id = $1",
            payment.payment_id,
        ),
        lambda n: n == 1,
    )
    return payment
