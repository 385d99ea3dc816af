"""Charge requests as a council's systems would send them, for tests and the demo."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress

FIRST_NAMES = [
    "Alice",
    "Bilal",
    "Catherine",
    "Dmitri",
    "Eleanor",
    "Farah",
    "George",
    "Harpreet",
    "Imogen",
    "Jamal",
]
SURNAMES = [
    "Atkinson",
    "Begum",
    "Clarke",
    "Dlamini",
    "Evans",
    "Fitzgerald",
    "Grant",
    "Hussain",
    "Iqbal",
    "Jones",
]


def unique_surname(stem: str) -> str:
    """A surname no other test's customer has. Matching compares letters only, so a hex suffix will not do
    ('Hollis-1234567890' is plain 'Hollis' to it): the suffix is ten random letters."""
    return f"{stem}-" + "".join(chr(ord("a") + int(digit, 16)) for digit in uuid4().hex[:10])


def a_resident(number: int) -> LiableParty:
    """A distinct resident of the demo council (the number makes names, addresses and references unique)."""
    return LiableParty(
        kind="person",
        title="Ms" if number % 2 else "Mr",
        first_names=f"{FIRST_NAMES[number % 10]}",
        surname=f"{SURNAMES[(number // 10) % 10]}-{number}",
        date_of_birth=date(1960, 1, 1) + timedelta(days=(number * 97) % 15000),
        address=PostalAddress(
            lines=[f"{number} Friar Gate", "Derby"], postcode=f"DE{1 + number % 20} {number % 9}AB"
        ),
        references={"council_tax_account": f"CT{100000 + number}"},
    )


def a_council_tax_bill(
    number: int, *, amount_pence: int = 1_450_00, raised_on: date = date(2026, 3, 10)
) -> ChargeRequested:
    """An annual council tax bill for resident `number`."""
    return ChargeRequested(
        external_reference=f"CTBILL-{number}-{uuid4().hex[:8]}",
        requesting_system="council_tax",
        originating_service="Revenues and Benefits",
        debt_type="council_tax",
        amount_pence=amount_pence,
        liable_parties=[a_resident(number)],
        raised_on=raised_on,
        income_code="CT-2026",
        evidence_reference=f"annual-bill-2026/{number}",
        financial_year="2026/27",
        due_date=date(2026, 4, 1),
    )
