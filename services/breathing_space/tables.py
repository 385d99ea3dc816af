"""Breathing space's own tables (schema `breathing_space`), as SQLModel classes. The migration creates them.

Nothing is ever deleted: every document received stays as it arrived, with what became of it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, LargeBinary, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

_SCHEMA = {"schema": "breathing_space"}


class ReceivedDocument(SQLModel, table=True):
    """A document exactly as it arrived (HTTPS, watched folder or queue), stored before anything else happens,
    and what became of it: accepted, duplicate or refused (with the reason). Kept for audit."""

    __tablename__ = "received_document"
    __table_args__ = _SCHEMA

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    received_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    route: str = Field(description="https | folder | queue")
    source: str | None = Field(default=None, description="file name, nonce or message id")
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    outcome: str | None = Field(default=None, description="accepted | duplicate | refused")
    reason: str | None = None
    notification_reference: str | None = None
    notification_version: int | None = None
    moratorium_reference: str | None = None
    processed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class SeenNonce(SQLModel, table=True):
    """A nonce of an authenticated HTTPS request: a second request carrying it is a replay."""

    __tablename__ = "seen_nonce"
    __table_args__ = _SCHEMA

    nonce: str = Field(primary_key=True)
    seen_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Notification(SQLModel, table=True):
    """One accepted notification (reference + version is unique), inbound from the Insolvency Service or
    outbound (debts reported back). A moratorium's state is derived from all of its notifications."""

    __tablename__ = "notification"
    __table_args__ = _SCHEMA

    notification_reference: str = Field(primary_key=True)
    version: int = Field(primary_key=True)
    moratorium_reference: str
    kind: str
    direction: str = Field(description="inbound | outbound")
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    document: str
    received_document_id: int | None = None


class Moratorium(SQLModel, table=True):
    """One breathing space as this council handles it: its period, who it matched, and the hold's version."""

    __tablename__ = "moratorium"
    __table_args__ = _SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    kind: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: str
    match_state: str = Field(description="awaiting_start | exact | pending | none | confirmed | rejected")
    match_explanation: str | None = None
    customer_ids: list[UUID] = Field(default_factory=list, sa_column=Column(ARRAY(Uuid)))
    notified_reference_keys: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(Text)))
    searched_on: date | None = None
    hold_version: int = 0
    hold_started: bool = False
    hold_ended: bool = False
    notes: list[str] = Field(default_factory=list, sa_column=Column(JSONB))
    debtor_keys: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Text)),
        description="s:<surname> d:<date of birth> p:<postcode> r:<reference>: what the debtor can be found by",
    )


class HeldDebt(SQLModel, table=True):
    """A debt the moratorium's hold covers: notified, or found by the council's search (and reported back)."""

    __tablename__ = "held_debt"
    __table_args__ = _SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    debt_id: UUID = Field(primary_key=True)
    creditor_reference: str | None = None
    debt_type: str | None = None
    source: str = Field(description="notified | found_by_search")
    hold_version: int = Field(description="The hold version that first covered it")
    reported_back_in: str | None = None


class PendingMatch(SQLModel, table=True):
    """A possible match waiting for an officer, with the candidates and the reasons; never merged silently."""

    __tablename__ = "pending_match"
    __table_args__ = _SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    explanation: str
    candidates: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    queued_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decision: str | None = Field(default=None, description="confirmed | rejected")
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decision_reason: str | None = None
    alerted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class HoldBroadcast(SQLModel, table=True):
    """One version of a hold sent to recovery, billing and the agents gateway."""

    __tablename__ = "hold_broadcast"
    __table_args__ = _SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    hold_version: int = Field(primary_key=True)
    change: str = Field(description="started | debts_added | ended | cancelled")
    debt_ids: list[UUID] = Field(sa_column=Column(ARRAY(Uuid)))
    broadcast_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    alerted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class HoldConfirmation(SQLModel, table=True):
    """A service confirmed it applied one version of a hold."""

    __tablename__ = "hold_confirmation"
    __table_args__ = _SCHEMA

    moratorium_reference: str = Field(primary_key=True)
    hold_version: int = Field(primary_key=True)
    service: str = Field(primary_key=True)
    confirmed_debt_ids: list[UUID] = Field(sa_column=Column(ARRAY(Uuid)))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class DebtsReport(SQLModel, table=True):
    """A 'debts reported back' document for the Insolvency Service, and where it was written."""

    __tablename__ = "debts_report"
    __table_args__ = _SCHEMA

    report_reference: str = Field(primary_key=True)
    moratorium_reference: str
    reported_on: date
    debt_ids: list[UUID] = Field(sa_column=Column(ARRAY(Uuid)))
    document: str
    written_to: str | None = None
    written_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Customer(SQLModel, table=True):
    """Billing's customer as breathing space needs it for matching (personal data: never logged)."""

    __tablename__ = "customer"
    __table_args__ = _SCHEMA

    customer_id: UUID = Field(primary_key=True)
    kind: str
    forenames: str | None = None
    surname: str | None = None
    surname_key: str | None = None
    date_of_birth: date | None = None
    addresses: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    postcode_keys: list[str] = Field(sa_column=Column(ARRAY(Text)))
    reference_keys: list[str] = Field(sa_column=Column(ARRAY(Text)))


class Debt(SQLModel, table=True):
    """Billing's debt as breathing space needs it for the search: who is liable, its reference and balance.
    `closed` says why it is no longer owed (settled, cancelled, written_off)."""

    __tablename__ = "debt"
    __table_args__ = _SCHEMA

    debt_id: UUID = Field(primary_key=True)
    customer_ids: list[UUID] = Field(default_factory=list, sa_column=Column(ARRAY(Uuid)))
    debt_type: str | None = None
    external_reference: str | None = None
    reference_key: str | None = None
    raised_on: date | None = None
    balance_pence: int | None = Field(default=None, sa_column=Column(BigInteger))
    closed: str | None = None
