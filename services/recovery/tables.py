"""Recovery's own tables (schema `recovery`), as SQLModel classes."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Column, DateTime, func
from sqlmodel import Field, SQLModel


class RecoveryCase(SQLModel, table=True):
    """One debt under recovery."""

    __tablename__ = "recovery_case"
    __table_args__ = {"schema": "recovery"}

    case_id: UUID = Field(primary_key=True)
    debt_id: UUID = Field(unique=True)
    customer_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    debt_type: str
    balance_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    due_date: date
    status: str
    opened_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )
