"""What `GET /customers?query=` and `GET /customers/{customer_id}` answer, as the OpenAPI document shows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.billing.domain.customer_search import MatchedOn

_DEBT_ID = "0190a9f2-7c1e-7d55-9a3e-3b1f0c2d4e5f"
_CUSTOMER_ID = "0190a9f2-7c1e-7a01-8b2c-1d2e3f405162"
_PAYMENT_ID = "0190aa10-2b3c-7d4e-8f50-617283940a1b"
_ALLOCATION_EXAMPLE: dict[str, Any] = {
    "payment_id": _PAYMENT_ID,
    "debt_id": _DEBT_ID,
    "line_number": 1,
    "amount_pence": 12756,
    "basis": "instalment_match",
}


class Address(BaseModel):
    """A postal address as printed on a bill."""

    lines: list[str]
    postcode: str


class AccountSummary(BaseModel):
    """One of a found customer's debts: enough to tell which account the resident is calling about."""

    debt_id: UUID
    debt_type: str = Field(description="council_tax, business_rates, sundry, parking_penalty, ...")
    reference: str = Field(description="The account reference, else the invoice or PCN number")
    financial_year: str
    balance_pence: int = Field(description="Owed now; negative is a credit")
    status: str = Field(description="open, settled, written_off, cancelled")


class FoundCustomer(BaseModel):
    """A customer a search found, with what tells them apart from another of the same name."""

    customer_id: UUID
    name: str
    kind: Literal["person", "organisation"]
    date_of_birth: date | None = None
    postal_address: Address
    accounts: list[AccountSummary]
    matched_on: MatchedOn = Field(
        description="How the query found them: customer_id, account_reference (council tax, business rates, "
        "tenancy, housing benefit claim, customer or company number), ni_number, invoice_reference (an invoice, "
        "PCN or other charge reference), postcode, name, address, or name_and_address (words of both)"
    )


class CustomerSearchResults(BaseModel):
    """The customers found, best found first (a reference before a postcode, name or address), then by name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customers": [
                        {
                            "customer_id": _CUSTOMER_ID,
                            "name": "Mrs Margaret Hollis",
                            "kind": "person",
                            "date_of_birth": "1961-03-14",
                            "postal_address": {"lines": ["12 Friar Gate", "Derby"], "postcode": "DE1 1FS"},
                            "accounts": [
                                {
                                    "debt_id": _DEBT_ID,
                                    "debt_type": "council_tax",
                                    "reference": "000123",
                                    "financial_year": "2026/27",
                                    "balance_pence": 110700,
                                    "status": "open",
                                }
                            ],
                            "matched_on": "postcode",
                        }
                    ],
                    "more_than_shown": False,
                }
            ]
        }
    )

    customers: list[FoundCustomer]
    more_than_shown: bool = Field(
        description="True when more customers match than the limit: the officer adds a word (a forename, the "
        "postcode)"
    )


class Instalment(BaseModel):
    """An instalment of a debt's schedule."""

    number: int
    due_date: date
    amount_pence: int
    paid_pence: int = Field(description="Payments allocated to it")
    outstanding_pence: int = Field(description="Still owed (after payments, credit notes and write-offs)")
    fell_due_on: date | None = Field(description="When billing announced it due; null while not yet due")


class AddedCharge(BaseModel):
    """Costs, interest, a late payment fee or a reinstated amount added to a debt after it was raised."""

    number: int
    kind: str = Field(description="costs, interest, late_fee, reinstated, ...")
    due_date: date
    amount_pence: int
    paid_pence: int
    outstanding_pence: int
    late_payment_basis: str | None = Field(
        default=None,
        description="Interest or a late fee: late_payment_act (a business debtor, Late Payment of Commercial "
        "Debts (Interest) Act 1998) or contract (the charge's contract provides it); none on other charges "
        "and on charges from before the basis was recorded",
    )
    annual_interest_percent: Decimal | None = Field(
        default=None, description="The rate a year charged (under the Act the reference rate + 8%)"
    )
    reference_day: date | None = Field(
        default=None,
        description="Interest under the Act: the day whose Bank of England base rate is the reference rate",
    )
    base_rate_percent: Decimal | None = Field(
        default=None, description="Interest under the Act: the Bank of England base rate in force on that day"
    )
    fixed_sum_band: str | None = Field(
        default=None,
        description="The Act's fixed sum: the band the debt's size fell in, under_1000 (£40), 1000_to_9999.99 "
        "(£70) or 10000_or_more (£100)",
    )


class Allocation(BaseModel):
    """Part of a payment applied to one line of a debt, and the rule that put it there."""

    payment_id: UUID
    debt_id: UUID
    line_number: int
    amount_pence: int
    basis: str = Field(description="customer_direction, instalment_match, debt_hierarchy, overpayment_offset")
    breathing_space: str | None = Field(
        default=None,
        description="for a debt in a breathing space with ongoing liabilities on the payment date: "
        "ongoing_liability (a sum falling due after the protected date, paid first) or moratorium_debt (the "
        "frozen arrears, reached only by money beyond the ongoing liabilities or the customer's own direction)",
    )


class CreditNote(BaseModel):
    """A correction of the invoice by the service that raised it."""

    credit_note_reference: str
    amount_pence: int
    correction: str
    reason: str
    issued_on: date


class Hold(BaseModel):
    """A breathing space moratorium holding the debt: no interest, fees or enforcement from its start."""

    moratorium_reference: str
    starts_on: date
    ends_on: date | None = Field(description="The last day of the hold; null while it lasts")
    confirmed: bool = Field(description="Billing has confirmed the hold to breathing space")


class WriteOff(BaseModel):
    """A write-off posted against the debt, and what of it was reinstated since."""

    write_off_id: UUID
    approved_pence: int
    posted_pence: int = Field(description="Never more than was outstanding")
    income_code: str
    reason_code: str
    approved_by: str
    written_off_on: date
    reinstated_pence: int


class DebtInFull(BaseModel):
    """One debt with everything recorded against it."""

    debt_id: UUID
    debt_type: str
    reference: str = Field(description="The account reference, else the invoice or PCN number")
    external_reference: str = Field(description="The reference the council system raised it with")
    account_reference: str | None
    requesting_system: str
    originating_service: str
    description: str | None
    financial_year: str
    raised_on: date
    due_date: date
    income_code: str
    amount_pence: int = Field(description="As raised")
    balance_pence: int = Field(description="Owed now; negative is a credit")
    written_off_pence: int
    status: str
    cancelled_on: date | None
    cancellation_reason: str | None
    jointly_liable_with: list[UUID] = Field(description="Other customers liable for the same debt")
    postings_pence: dict[str, int] = Field(description="The ledger's totals by kind (charge, payment, ...)")
    instalments: list[Instalment]
    added_charges: list[AddedCharge]
    allocations: list[Allocation]
    credit_notes: list[CreditNote]
    holds: list[Hold]
    write_offs: list[WriteOff]


class Payment(BaseModel):
    """A payment the customer made or that reached their debts, with where it went."""

    payment_id: UUID
    channel: str
    channel_reference: str
    amount_pence: int
    received_on: date
    status: str = Field(description="allocated, unidentified, held_on_written_off_debt, ...")
    unallocated_pence: int
    held_on_debt_id: UUID | None = Field(description="The written-off debt it is held on, if held")
    allocations: list[Allocation]


class Refund(BaseModel):
    """Money owed back to the customer."""

    refund_id: UUID
    payment_id: UUID | None
    amount_pence: int
    reason: str
    status: str
    created_on: date
    rule: str | None = Field(
        default=None,
        description="The overpayment rule that decided it: offset_then_refund (Derby 11.1), local_tax_refund or "
        "local_tax_later_liability (CT reg 31, NNDR reg 9); none on older refunds",
    )


class CustomerInFull(BaseModel):
    """One customer with every debt they are liable for: what the officer needs with the resident on the phone."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": _CUSTOMER_ID,
                    "name": "Mrs Margaret Hollis",
                    "kind": "person",
                    "date_of_birth": "1961-03-14",
                    "postal_address": {"lines": ["12 Friar Gate", "Derby"], "postcode": "DE1 1FS"},
                    "previous_addresses": [],
                    "references": {"council_tax_account": "000123"},
                    "email": None,
                    "phone": None,
                    "merged_into": None,
                    "owed_pence": 110700,
                    "credit_pence": 0,
                    "refund_due_pence": 0,
                    "by_debt_type_pence": {"council_tax": 110700},
                    "debts": [
                        {
                            "debt_id": _DEBT_ID,
                            "debt_type": "council_tax",
                            "reference": "000123",
                            "external_reference": "CT-000123-2026",
                            "account_reference": "000123",
                            "requesting_system": "revenues",
                            "originating_service": "Revenues",
                            "description": None,
                            "financial_year": "2026/27",
                            "raised_on": "2026-03-10",
                            "due_date": "2026-04-01",
                            "income_code": "CT01",
                            "amount_pence": 123456,
                            "balance_pence": 110700,
                            "written_off_pence": 0,
                            "status": "open",
                            "cancelled_on": None,
                            "cancellation_reason": None,
                            "jointly_liable_with": [],
                            "postings_pence": {"charge": 123456, "payment": 12756},
                            "instalments": [
                                {
                                    "number": 1,
                                    "due_date": "2026-04-01",
                                    "amount_pence": 12756,
                                    "paid_pence": 12756,
                                    "outstanding_pence": 0,
                                    "fell_due_on": "2026-04-01",
                                }
                            ],
                            "added_charges": [],
                            "allocations": [_ALLOCATION_EXAMPLE],
                            "credit_notes": [],
                            "holds": [],
                            "write_offs": [],
                        }
                    ],
                    "payments": [
                        {
                            "payment_id": _PAYMENT_ID,
                            "channel": "direct_debit",
                            "channel_reference": "DD-2026-04-000123",
                            "amount_pence": 12756,
                            "received_on": "2026-04-01",
                            "status": "allocated",
                            "unallocated_pence": 0,
                            "held_on_debt_id": None,
                            "allocations": [_ALLOCATION_EXAMPLE],
                        }
                    ],
                    "refunds": [],
                }
            ]
        }
    )

    customer_id: UUID
    name: str
    kind: Literal["person", "organisation"]
    date_of_birth: date | None
    postal_address: Address
    previous_addresses: list[Address]
    references: dict[str, str] = Field(description="council_tax_account, nndr_account, ni_number, ...")
    email: str | None
    phone: str | None
    merged_into: UUID | None = Field(
        description="Set when an officer confirmed this record is another customer: their debts are there"
    )
    owed_pence: int
    credit_pence: int
    refund_due_pence: int
    by_debt_type_pence: dict[str, int]
    debts: list[DebtInFull]
    payments: list[Payment]
    refunds: list[Refund]
