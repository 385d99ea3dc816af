"""Billing's own tables (schema `billing`), as SQLModel classes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Column, DateTime, func
from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    """A person or organisation the council bills, with the identity used to match them across debt types."""

    __tablename__ = "customer"
    __table_args__ = {"schema": "billing"}

    customer_id: UUID = Field(primary_key=True)
    kind: str
    identity: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class Debt(SQLModel, table=True):
    """A debt raised at a council system's request."""

    __tablename__ = "debt"
    __table_args__ = {"schema": "billing"}

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
    created_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class DebtParty(SQLModel, table=True):
    """Who is liable for a debt (joint liability: several rows)."""

    __tablename__ = "debt_party"
    __table_args__ = {"schema": "billing"}

    debt_id: UUID = Field(primary_key=True, foreign_key="billing.debt.debt_id")
    customer_id: UUID = Field(primary_key=True, foreign_key="billing.customer.customer_id")
