"""Builders shared by the agents gateway unit tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.agents_gateway.domain.debt_types import DebtType
from services.agents_gateway.domain.file_format import FORMAT_VERSION, FileHeader, FileKind
from services.agents_gateway.domain.openpgp import GeneratedKey, generate_key
from services.agents_gateway.domain.records import (
    Address,
    Debtor,
    DebtorKind,
    LiabilityOrder,
    PaymentCollected,
    PlacedDebt,
    Placement,
)


def header(kind: FileKind = FileKind.AGENT_RETURNS, sequence: int = 1, agent: str = "BRISTOW") -> FileHeader:
    """A header for a file between Derby and an agent."""
    return FileHeader(
        format_version=FORMAT_VERSION,
        file_kind=kind,
        agent=agent,
        council="derby",
        sequence=sequence,
        created_at=datetime(2024, 5, 1, 18, 0, tzinfo=UTC),
    )


def payment(case: str, amount: int, reference: str | None = None) -> PaymentCollected:
    """A payment_collected record."""
    return PaymentCollected(
        case_reference=case,
        agent_reference=f"AG-{case}",
        payment_reference=reference or f"PAY-{case}-{amount}",
        amount_pence=amount,
        collected_on=date(2024, 5, 1),
    )


def council_tax_placement(case: str, balance: int = 123_45) -> Placement:
    """A council tax case with its liability order."""
    return Placement(
        case_reference=case,
        placed_on=date(2024, 5, 1),
        debtor=Debtor(
            kind=DebtorKind.PERSON,
            name="Jane Example",
            address=Address(lines=["1 High Street", "Derby"], postcode="DE1 1AA"),
        ),
        debts=[
            PlacedDebt(
                debt_reference=f"{case}-1",
                debt_type=DebtType.COUNCIL_TAX,
                financial_year="2023/24",
                balance_pence=balance,
                liability_order=LiabilityOrder(
                    court="Derby Magistrates",
                    granted_on=date(2024, 3, 1),
                    order_reference="LO1",
                    amount_pence=balance,
                ),
            )
        ],
        vulnerability_flags=["hearing impairment"],
    )


@pytest.fixture(scope="session")
def council_key() -> GeneratedKey:
    return generate_key("Derby City Council", "debt@derby.example", bits=2048)


@pytest.fixture(scope="session")
def agent_key() -> GeneratedKey:
    return generate_key("Bristow Enforcement", "files@bristow.example", bits=2048)


@pytest.fixture(scope="session")
def stranger_key() -> GeneratedKey:
    return generate_key("Someone Else", "x@else.example", bits=2048)
