"""What council systems send billing, built with sensible defaults and a unique reference per test."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.council_systems import (
    ChargeRequested,
    InstalmentPlanRequest,
    LiableParty,
    PaymentReceived,
    PostalAddress,
    RefundRequested,
)
from tests.demo_people import unique_surname


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid4().hex[:10]}"


def a_person(**overrides) -> LiableParty:
    values = dict(
        kind="person",
        first_names="Margaret",
        surname=unique_surname("Hollis"),  # so no other test's customer matches by accident
        date_of_birth=date(1961, 3, 14),
        address=PostalAddress(lines=["12 Friar Gate", "Derby"], postcode="DE1 1FS"),
        references={},
    )
    values.update(overrides)
    return LiableParty(**values)


def an_organisation(**overrides) -> LiableParty:
    values = dict(
        kind="organisation",
        organisation_name=f"{unique_surname('Friar Gate')} Trading Ltd",
        address=PostalAddress(lines=["3 Iron Gate", "Derby"], postcode="DE1 3GA"),
        references={"company_number": unique("CO")},
    )
    values.update(overrides)
    return LiableParty(**values)


def a_sundry_invoice(party: LiableParty | None = None, **overrides) -> ChargeRequested:
    values = dict(
        external_reference=unique("INV"),
        requesting_system="finance",
        originating_service="Environmental Services",
        debt_type="sundry",
        amount_pence=250_00,
        liable_parties=[party or a_person()],
        raised_on=date(2026, 4, 10),
        income_code="ENV100",
        evidence_reference="trade waste contract 2026",
    )
    values.update(overrides)
    return ChargeRequested(**values)


def a_council_tax_bill(party: LiableParty | None = None, **overrides) -> ChargeRequested:
    account = unique("CT")
    values = dict(
        external_reference=f"{account}-2026",
        requesting_system="revenues",
        originating_service="Revenues",
        debt_type="council_tax",
        amount_pence=1_234_56,
        liable_parties=[party or a_person(references={"council_tax_account": account})],
        raised_on=date(2026, 3, 10),
        income_code="CT01",
        evidence_reference="annual bill 2026/27",
        financial_year="2026/27",
        instalment_plan=InstalmentPlanRequest(instalments=10, first_due_date=date(2026, 4, 1)),
    )
    values.update(overrides)
    return ChargeRequested(**values)


def a_payment(amount_pence: int, **overrides) -> PaymentReceived:
    values = dict(
        channel="card",
        channel_reference=unique("CARD"),
        amount_pence=amount_pence,
        received_on=date(2026, 5, 2),
    )
    values.update(overrides)
    return PaymentReceived(**values)


def a_refund_request(account: str, **overrides) -> RefundRequested:
    values = dict(
        requesting_system="revenues",
        request_reference=unique("RR"),
        account_reference=account,
        requested_on=date(2026, 6, 1),
    )
    values.update(overrides)
    return RefundRequested(**values)
