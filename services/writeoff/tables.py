"""The write-off service's own tables (schema `writeoff`), as SQLModel classes.

Projections of other services' facts (`DebtStanding`, `DebtHold`, `MoratoriumDebt`, `AgentPlacement`) are built
from their events; the rest is the write-off record itself, kept with its evidence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Column, Identity
from sqlmodel import Field, SQLModel

SCHEMA = {"schema": "writeoff"}


class DebtStanding(SQLModel, table=True):
    """A debt as billing describes it: type, income code, liable customers and its latest balance."""

    __tablename__ = "debt_standing"
    __table_args__ = SCHEMA

    debt_id: UUID = Field(primary_key=True)
    customer_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    debt_type: str | None = None
    income_code: str | None = None
    financial_year: str | None = None
    originating_service: str | None = None
    balance_pence: int | None = Field(default=None, sa_column=Column(BigInteger))
    balance_as_of: date | None = None
    settled: bool = False


class DebtHold(SQLModel, table=True):
    """A recovery hold on a debt, and whether it has been lifted."""

    __tablename__ = "debt_hold"
    __table_args__ = SCHEMA

    hold_id: UUID = Field(primary_key=True)
    debt_id: UUID
    reason: str
    lifted: bool


class MoratoriumDebt(SQLModel, table=True):
    """A debt covered by a breathing space moratorium, as of the latest hold version heard."""

    __tablename__ = "moratorium_debt"
    __table_args__ = SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    debt_id: UUID = Field(primary_key=True)
    hold_version: int
    active: bool


class AgentPlacement(SQLModel, table=True):
    """A referral of the debt to an enforcement agent or collection agency, open until returned or recalled."""

    __tablename__ = "agent_placement"
    __table_args__ = SCHEMA

    referral_id: UUID = Field(primary_key=True)
    debt_id: UUID
    open: bool


class WriteOffScheduleRow(SQLModel, table=True):
    """A numbered write-off schedule of one council and band table; its lines are the requests on it."""

    __tablename__ = "write_off_schedule"
    __table_args__ = SCHEMA

    schedule_id: UUID = Field(primary_key=True)
    number: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(), nullable=False, unique=True)
    )
    council: str
    band_table: str
    status: str  # awaiting_decision | decided | withdrawn
    built_by: str
    built_at: datetime
    changed_at: datetime


class WriteOffRequestRow(SQLModel, table=True):
    """A request to write off a debt, kept with its evidence whatever became of it."""

    __tablename__ = "write_off_request"
    __table_args__ = SCHEMA

    request_id: UUID = Field(primary_key=True)
    council: str
    debt_id: UUID
    case_id: UUID | None = None
    customer_id: str = ""
    debt_type: str
    debt_area: str | None = None
    income_code: str
    financial_year: str
    originating_service: str
    amount_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    reason_code: str
    evidence: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    written_report: str | None = None
    requested_by: str
    channel: str
    requested_on: date
    # awaiting_debt | pending | scheduled | approved | rejected
    status: str
    refusals: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    schedule_id: UUID | None = None
    decided_on: date | None = None


class DeclarationRow(SQLModel, table=True):
    """A person's declared interest in a customer or a debt: they take no part in writing it off."""

    __tablename__ = "declaration_of_interest"
    __table_args__ = SCHEMA

    declaration_id: UUID = Field(primary_key=True)
    person_id: str
    kind: str
    customer_id: str | None = None
    debt_id: str | None = None
    note: str = ""
    declared_at: datetime
