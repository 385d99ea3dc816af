"""Recovery's own tables (schema `recovery`), as SQLModel classes.

The case row is recovery's working state (balance, next step and its date, flags); everything that happened
to a case is in the append-only record tables (migration 0002), which the handlers and the daily run write with
set-based SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Column, DateTime, func
from sqlalchemy.dialects.postgresql import ARRAY, INTEGER
from sqlmodel import Field, SQLModel


class RecoveryCase(SQLModel, table=True):
    """One debt under recovery: where it stands, and when its next step may be taken."""

    __tablename__ = "recovery_case"
    __table_args__ = {"schema": "recovery"}

    case_id: UUID = Field(primary_key=True)
    debt_id: UUID = Field(unique=True)
    customer_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    debt_type: str
    balance_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    due_date: date
    status: str = Field(description="open | write_off_requested | closed")
    opened_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )
    financial_year: str = ""
    income_code: str = ""
    originating_service: str = ""
    external_reference: str = ""
    evidence_reference: str = ""
    raised_on: date | None = None
    policy_group: str | None = None
    awaiting_default: bool = Field(default=False, description="Paid by instalments, none yet unpaid")
    defaults_count: int = 1
    defaulted_instalments: list[int] = Field(default_factory=list, sa_column=Column(ARRAY(INTEGER)))
    arrangement_id: UUID | None = None
    arrangement_status: str | None = None
    vulnerable: bool = False
    cant_pay: bool = False
    circumstances_reviewed_on: date | None = None
    debtor_is_individual: bool = True
    next_step_name: str | None = None
    next_step_eligible_from: date | None = None
    write_off_rejected_reason: str | None = None
    closed_reason: str | None = None
    closed_on: date | None = None
