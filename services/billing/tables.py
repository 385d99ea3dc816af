"""Billing's own tables (schema `billing`), as SQLModel classes: the schema as code reads it.

The migrations create them; hot paths (payments, the billing run, the daily run) write them with set-based SQL,
and the enquiries read them through these models where a plain query is enough.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Column, DateTime, Numeric, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlmodel import Field, SQLModel

_SCHEMA = {"schema": "billing"}


class Customer(SQLModel, table=True):
    """A person or organisation the council bills, with the identity used to match them across debt types."""

    __tablename__ = "customer"
    __table_args__ = _SCHEMA

    customer_id: UUID = Field(primary_key=True)
    kind: str
    identity: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    surname_key: str | None = None
    organisation_key: str | None = None
    date_of_birth: date | None = None
    postcodes: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False))
    reference_keys: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False))
    merged_into: UUID | None = None
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class CustomerMatchReview(SQLModel, table=True):
    """A party that possibly matches known customers, waiting for an officer (never merged silently)."""

    __tablename__ = "customer_match_review"
    __table_args__ = _SCHEMA

    review_id: UUID = Field(primary_key=True)
    customer_id: UUID = Field(foreign_key="billing.customer.customer_id")
    possible_matches: list[UUID] = Field(sa_column=Column(ARRAY(PG_UUID(as_uuid=True)), nullable=False))
    reasons: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    status: str = "open"
    confirmed_customer_id: UUID | None = None
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class Debt(SQLModel, table=True):
    """A debt raised at a council system's request; `balance_pence` is the sum of its postings."""

    __tablename__ = "debt"
    __table_args__ = _SCHEMA

    debt_id: UUID = Field(primary_key=True)
    requesting_system: str
    external_reference: str
    debt_type: str
    amount_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    financial_year: str
    due_date: date
    raised_on: date
    originating_service: str
    income_code: str
    evidence_reference: str
    account_reference: str | None = None
    description: str | None = None
    status: str = "open"  # open | cancelled | written_off
    balance_pence: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    written_off_pence: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    interest_accrued_to: date | None = None
    late_fee_charged: bool = False
    cancelled_on: date | None = None
    cancellation_reason: str | None = None
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class DebtParty(SQLModel, table=True):
    """Who is liable for a debt (joint liability: several rows)."""

    __tablename__ = "debt_party"
    __table_args__ = _SCHEMA

    debt_id: UUID = Field(primary_key=True, foreign_key="billing.debt.debt_id")
    customer_id: UUID = Field(primary_key=True, foreign_key="billing.customer.customer_id")


class DebtLine(SQLModel, table=True):
    """What is owed on a debt line by line: instalments, then costs, interest, fees and reinstatements."""

    __tablename__ = "debt_line"
    __table_args__ = _SCHEMA

    debt_id: UUID = Field(primary_key=True, foreign_key="billing.debt.debt_id")
    number: int = Field(primary_key=True)
    kind: str  # instalment | costs | interest | late_fee | reinstatement
    due_date: date
    amount_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    outstanding_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    fell_due_on: date | None = None


class Posting(SQLModel, table=True):
    """One movement on a debt's account, never edited, only added to (Sundry 8.7)."""

    __tablename__ = "posting"
    __table_args__ = _SCHEMA

    posting_id: int | None = Field(default=None, primary_key=True)
    debt_id: UUID = Field(foreign_key="billing.debt.debt_id")
    kind: str
    amount_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    posted_on: date
    cause_reference: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    principal_pence: int | None = None
    annual_interest_percent: Decimal | None = Field(default=None, sa_column=Column(Numeric))
    day_count_basis: int | None = None
    reversed: bool = False


class Payment(SQLModel, table=True):
    """Money received; `channel` + `channel_reference` is unique, so a payment is applied once."""

    __tablename__ = "payment"
    __table_args__ = _SCHEMA

    payment_id: UUID = Field(primary_key=True)
    channel: str
    channel_reference: str
    amount_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    received_on: date
    customer_id: UUID | None = None
    debt_id: UUID | None = None
    account_reference: str | None = None
    status: str  # allocated | unidentified | held_on_written_off_debt
    unallocated_pence: int = 0


class Refund(SQLModel, table=True):
    """A true surplus to pay back: the customer owed nothing else when it arose."""

    __tablename__ = "refund"
    __table_args__ = _SCHEMA

    refund_id: UUID = Field(primary_key=True)
    customer_id: UUID | None = None
    payment_id: UUID | None = None
    amount_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    reason: str
    status: str = "due"
    created_on: date
