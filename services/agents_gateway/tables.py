"""The agents gateway's own tables (schema `agents_gateway`), as SQLModel classes.

Bulk work (applying a 100,000-record return file) writes with set-based SQL; these classes describe the rows
and serve the single-row writes (a referral, a file sent, a file quarantined).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, BigInteger, Column, DateTime, LargeBinary, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlmodel import Field, SQLModel

SCHEMA = {"schema": "agents_gateway"}


class PlacementRow(SQLModel, table=True):
    """One referral of one debt to one agent, from referral to acknowledgement, recall or return.

    status: awaiting_file (to go in the next placement file) | refused (no agent may take it) | sent |
    acknowledged | rejected | recalled | returned.
    """

    __tablename__ = "placement"
    __table_args__ = SCHEMA

    referral_id: UUID = Field(primary_key=True)
    case_reference: str
    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID] = Field(sa_column=Column(ARRAY(PgUUID(as_uuid=True)), nullable=False))
    agent_code: str | None = None
    debt_type: str
    agency_kind: str
    balance_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    referred_on: date
    liability_order_reference: str | None = None
    liability_order_date: date | None = None
    judgment_court: str | None = None
    judgment_claim_number: str | None = None
    judgment_on: date | None = None
    vulnerability_flags: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    contact_notes: str | None = None
    status: str
    refusal: str | None = None
    placed_file_id: int | None = None
    placed_on: date | None = None
    agent_reference: str | None = None
    answered_on: date | None = None
    agent_stage: str | None = None
    recalled_on: date | None = None
    closed_on: date | None = None


class InstructionRow(SQLModel, table=True):
    """An outbound record (amendment, hold, hold lifted, recall, return requested) waiting for its file.
    Urgent ones (breathing space holds, immediate recalls) go out at once in a file of their own."""

    __tablename__ = "instruction"
    __table_args__ = SCHEMA

    instruction_id: int | None = Field(default=None, primary_key=True)
    agent_code: str
    referral_id: UUID
    kind: str
    urgent: bool
    record: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    moratorium_reference: str | None = None
    hold_version: int | None = None
    sent_file_id: int | None = None


class SentFileRow(SQLModel, table=True):
    """A file uploaded to an agent, with its sequence number and the SHA-256 of what was uploaded."""

    __tablename__ = "sent_file"
    __table_args__ = SCHEMA

    file_id: int | None = Field(default=None, primary_key=True)
    agent_code: str
    sequence: int
    file_name: str
    file_kind: str
    urgent: bool
    record_count: int
    total_pence: int = Field(sa_column=Column(BigInteger, nullable=False))
    plaintext_sha256: str
    sha256: str
    size_bytes: int = Field(sa_column=Column(BigInteger, nullable=False))
    sent_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class ReceivedFileRow(SQLModel, table=True):
    """A file fetched from an agent's outbox. outcome: applied | quarantined. A quarantined file keeps its
    bytes (as received) and the report of every problem."""

    __tablename__ = "received_file"
    __table_args__ = SCHEMA

    file_id: int | None = Field(default=None, primary_key=True)
    agent_code: str
    file_name: str
    sha256: str
    plaintext_sha256: str | None = None
    sequence: int | None = None
    outcome: str
    record_count: int = 0
    problems: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    rejection_file_id: int | None = None
    resolved_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    resolved_by: str | None = None
    resolution: str | None = None
    received_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), server_default=func.now())
    )


class HoldConfirmationRow(SQLModel, table=True):
    """A breathing space hold to confirm once every hold file for it has gone out."""

    __tablename__ = "hold_confirmation"
    __table_args__ = SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    hold_version: int = Field(primary_key=True)
    debt_ids: list[UUID] = Field(sa_column=Column(ARRAY(PgUUID(as_uuid=True)), nullable=False))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
