"""The demo council: a small borough's debts flowing through the running system.

It raises council tax, business rates, sundry invoices, housing benefit overpayments, rent arrears and parking
charges for a few hundred residents and firms, takes some payments, then lets the days pass: each tick moves the
business date on by a day, runs the daily recovery run and takes a few more payments, so reminders, final
notices, summonses and referrals appear in the services' records and logs as they would over months.

Run by `council-debt up`; on its own: `python -m deploy.local.demo_council` with AMQP_URL set.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import time
from datetime import date, timedelta
from uuid import uuid4

import aio_pika

from services.breathing_space.domain.request_authentication import sign_request
from shared import event_loop
from shared.broker_identity import amqp_url_for, owner_of
from shared.contracts.council_systems import ChargeRequested, LiableParty, PaymentReceived, PostalAddress
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.platform import BusinessDateSet
from shared.contracts.recovery import DailyRunRequested

STREETS = [
    "Friar Gate",
    "Iron Gate",
    "Sadler Gate",
    "Corn Market",
    "Osmaston Road",
    "Abbey Street",
    "Kedleston Road",
]
FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Erin",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jacob",
    "Kiran",
    "Lena",
]
SURNAMES = [
    "Ashworth",
    "Bhatti",
    "Coleman",
    "Dunmore",
    "Ellison",
    "Frost",
    "Gill",
    "Hartley",
    "Ingram",
    "Jevons",
]

# (debt type, originating service, income code, typical amount in pounds, requesting system)
DEBT_KINDS = [
    ("council_tax", "Revenues and Benefits", "CT-2026", 1_650, "council_tax"),
    ("sundry", "Environmental Services", "SUN-ENV", 240, "finance"),
    ("housing_benefit_overpayment", "Revenues and Benefits", "HBOP", 820, "benefits"),
    ("council_housing_rent", "Housing", "HRA-RENT", 610, "housing"),
    ("penalty_charge_notice", "Parking Services", "PCN", 70, "parking"),
]


def resident(number: int, rng: random.Random) -> LiableParty:
    """A demo resident; the same number always gives the same person."""
    return LiableParty(
        kind="person",
        title=rng.choice(["Mr", "Ms", "Mrs", "Mx"]),
        first_names=FIRST_NAMES[number % len(FIRST_NAMES)],
        surname=f"{SURNAMES[number % len(SURNAMES)]}",
        date_of_birth=date(1950, 1, 1) + timedelta(days=(number * 131) % 20000),
        address=PostalAddress(
            lines=[f"{number + 1} {STREETS[number % len(STREETS)]}", "Derby"],
            postcode=f"DE{1 + number % 24} {number % 9}{'ABDEFG'[number % 6]}{'HJLNPQ'[number % 6]}",
        ),
        references={"council_tax_account": f"CT{400000 + number}"},
    )


def business(number: int) -> LiableParty:
    """A demo business ratepayer."""
    return LiableParty(
        kind="organisation",
        organisation_name=f"{SURNAMES[number % len(SURNAMES)]} Trading Ltd {number}",
        address=PostalAddress(
            lines=[f"Unit {number + 1}", "Pride Park", "Derby"], postcode=f"DE24 {number % 9}AZ"
        ),
        references={"nndr_account": f"NNDR{700000 + number}"},
    )


def charges(rng: random.Random, today: date) -> list[ChargeRequested]:
    """The opening debts of the demo council."""
    requests = []
    for number in range(300):
        debt_type, service, income_code, pounds, system = DEBT_KINDS[
            0 if number < 180 else number % len(DEBT_KINDS)
        ]
        requests.append(
            ChargeRequested(
                external_reference=f"DEMO-{system}-{number}-{uuid4().hex[:6]}",
                requesting_system=system,
                originating_service=service,
                debt_type=debt_type,
                amount_pence=int(pounds * 100 * rng.uniform(0.6, 1.4)),
                liable_parties=[resident(number, rng)],
                raised_on=today,
                income_code=income_code,
                evidence_reference=f"demo/{system}/{number}",
                due_date=today + timedelta(days=14 if debt_type != "council_tax" else 22),
            )
        )
    for number in range(40):
        requests.append(
            ChargeRequested(
                external_reference=f"DEMO-nndr-{number}-{uuid4().hex[:6]}",
                requesting_system="business_rates",
                originating_service="Revenues and Benefits",
                debt_type="business_rates",
                amount_pence=int(9_000_00 * rng.uniform(0.3, 3.0)),
                liable_parties=[business(number)],
                raised_on=today,
                income_code="NNDR-2026",
                evidence_reference=f"demo/nndr/{number}",
                due_date=today + timedelta(days=22),
            )
        )
    return requests


class DemoPublishers:
    """The demo's council systems and its business clock, each connected to the broker as its own user (the
    services refuse events from a publisher that does not own them)."""

    def __init__(self, amqp_url: str, passwords_file: str | None) -> None:
        self.amqp_url = amqp_url
        self.passwords_file = passwords_file
        self.exchanges: dict[str, aio_pika.abc.AbstractExchange] = {}
        self.connections: list[aio_pika.abc.AbstractConnection] = []

    async def exchange_for(self, message_type: str) -> aio_pika.abc.AbstractExchange:
        user = owner_of(message_type) or "council_systems"
        if user not in self.exchanges:
            connection = await aio_pika.connect_robust(amqp_url_for(user, self.amqp_url, self.passwords_file))
            self.connections.append(connection)
            channel = await connection.channel(publisher_confirms=True)
            self.exchanges[user] = await channel.declare_exchange(
                "council.events", aio_pika.ExchangeType.TOPIC, durable=True
            )
        return self.exchanges[user]

    def user_id_for(self, message_type: str) -> str | None:
        # The broker checks a user id against the connection's user: set only when connected as that user.
        return owner_of(message_type) if self.passwords_file else None


async def publish(publishers: DemoPublishers, message: Contract, producer: str) -> None:
    envelope = Envelope.wrap(message, producer=producer)
    exchange = await publishers.exchange_for(envelope.type)
    await exchange.publish(
        aio_pika.Message(
            envelope.to_bytes(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            user_id=publishers.user_id_for(envelope.type),
        ),
        routing_key=envelope.type,
    )


def breathing_space_notification(number: int, rng: random.Random, start: date) -> bytes:
    """The Insolvency Service's notice that demo resident `number` entered a standard breathing space
    (format: services/breathing_space/NOTIFICATIONS.md), naming only their council tax account."""
    person = resident(number, rng)
    return json.dumps(
        {
            "schema_version": "1",
            "kind": "new_standard_breathing_space",
            "notification_reference": f"ISN-DEMO-{number}",
            "version": 1,
            "moratorium_reference": f"BS-DEMO-{number}",
            "issued_at": f"{start.isoformat()}T09:00:00Z",
            "debtor": {
                "forenames": person.first_names,
                "surname": person.surname,
                "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
                "current_address": {
                    "lines": person.address.lines[:1],
                    "town": "Derby",
                    "postcode": person.address.postcode,
                },
            },
            "debts": [
                {"creditor_reference": person.references["council_tax_account"], "debt_type": "council_tax"}
            ],
            "start_date": start.isoformat(),
        }
    ).encode()


def insolvency_service_signature(document: bytes) -> dict[str, str]:
    """The headers the Insolvency Service signs a document with (breathing space refuses unsigned ones), under
    the local system's development secret (or BREATHING_SPACE_SIGNING_SECRET)."""
    timestamp, nonce = str(int(time.time())), uuid4().hex
    secret = os.environ.get("BREATHING_SPACE_SIGNING_SECRET", "local-development-secret-change-me").encode()
    return {
        "X-Breathing-Space-Timestamp": timestamp,
        "X-Breathing-Space-Nonce": nonce,
        "X-Breathing-Space-Signature": sign_request(secret, timestamp, nonce, document),
    }


async def run_demo(seconds_per_day: float = 3.0, start: date = date(2026, 3, 10)) -> None:
    """Load the demo council and let its days pass until stopped."""
    rng = random.Random(2026)
    amqp_url = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5682/")
    exchange = DemoPublishers(amqp_url, os.environ.get("BROKER_PASSWORDS_FILE"))
    # The Insolvency Service's documents reach breathing space's own queue through the council's integration.
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    today = start
    await publish(exchange, BusinessDateSet(business_date=today), "demo")
    opening = charges(rng, today)
    for request in opening:
        await publish(exchange, request, request.requesting_system)
    print(f"demo council: {len(opening)} debts raised on {today}", flush=True)
    while True:
        await asyncio.sleep(seconds_per_day)
        today += timedelta(days=1)
        await publish(exchange, BusinessDateSet(business_date=today), "demo")
        for _ in range(rng.randint(0, 6)):
            request = rng.choice(opening)
            await publish(
                exchange,
                PaymentReceived(
                    channel=rng.choice(["direct_debit", "card", "bank_transfer", "paypoint"]),
                    channel_reference=f"DEMO-PAY-{uuid4().hex[:10]}",
                    amount_pence=rng.choice([10_00, 25_00, 50_00, request.amount_pence // 4]),
                    received_on=today,
                    account_reference=request.liable_parties[0].references.get("council_tax_account"),
                ),
                "payments",
            )
        if today == start + timedelta(days=40):
            # A resident the council is chasing enters a breathing space: every debt they owe is held.
            document = breathing_space_notification(7, random.Random(2026), today)
            await channel.default_exchange.publish(
                aio_pika.Message(
                    document,
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    headers=insolvency_service_signature(document),
                ),
                routing_key="breathing_space.insolvency_service.notifications",
            )
            print(f"demo council: breathing space notified for resident 7 on {today}", flush=True)
        await publish(exchange, DailyRunRequested(business_date=today), "scheduler")
        print(f"demo council: business date {today}", flush=True)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C on run-system stops the demo too: no traceback
        event_loop.run(run_demo(float(os.environ.get("DEMO_SECONDS_PER_DAY", "3"))))
