"""Breathing space schema: notifications as received, moratoria, held debts, hold broadcasts and confirmations,
reports back, the customer and debt projection built from billing's events, and the messaging tables.

Revision ID: breathing_space_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.persistence.messaging_tables import create_messaging_tables

revision = "breathing_space_0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "breathing_space"


def _now() -> sa.Column:
    return sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    create_messaging_tables(SCHEMA)
    op.create_table(
        "received_document",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("route", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("outcome", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("notification_reference", sa.Text),
        sa.Column("notification_version", sa.Integer),
        sa.Column("moratorium_reference", sa.Text),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_index("received_document_outcome", "received_document", ["outcome", "id"], schema=SCHEMA)
    op.create_table(
        "seen_nonce",
        sa.Column("nonce", sa.Text, primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "notification",
        sa.Column("notification_reference", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("moratorium_reference", sa.Text, nullable=False, index=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("received_document_id", sa.BigInteger),
        _now(),
        schema=SCHEMA,
    )
    op.create_table(
        "moratorium",
        sa.Column("moratorium_reference", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("match_state", sa.Text, nullable=False),
        sa.Column("match_explanation", sa.Text),
        sa.Column("customer_ids", postgresql.ARRAY(sa.Uuid), nullable=False, server_default="{}"),
        sa.Column("notified_reference_keys", postgresql.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("searched_on", sa.Date),
        sa.Column("hold_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("hold_started", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hold_ended", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("notes", postgresql.JSONB, nullable=False, server_default="[]"),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema=SCHEMA,
    )
    op.execute(f"CREATE INDEX moratorium_customers ON {SCHEMA}.moratorium USING gin (customer_ids)")
    op.execute(
        f"CREATE INDEX moratorium_notified_references ON {SCHEMA}.moratorium USING gin (notified_reference_keys)"
    )
    op.execute(f"CREATE INDEX moratorium_open ON {SCHEMA}.moratorium (end_date) WHERE NOT hold_ended")
    op.create_table(
        "held_debt",
        sa.Column("moratorium_reference", sa.Text, primary_key=True),
        sa.Column("debt_id", sa.Uuid, primary_key=True),
        sa.Column("creditor_reference", sa.Text),
        sa.Column("debt_type", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("hold_version", sa.Integer, nullable=False),
        sa.Column("reported_back_in", sa.Text),
        _now(),
        schema=SCHEMA,
    )
    op.create_table(
        "pending_match",
        sa.Column("moratorium_reference", sa.Text, primary_key=True),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("candidates", postgresql.JSONB, nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("decision", sa.Text),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_reason", sa.Text),
        sa.Column("alerted_at", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_table(
        "hold_broadcast",
        sa.Column("moratorium_reference", sa.Text, primary_key=True),
        sa.Column("hold_version", sa.Integer, primary_key=True),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("debt_ids", postgresql.ARRAY(sa.Uuid), nullable=False),
        sa.Column("broadcast_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    op.create_table(
        "hold_confirmation",
        sa.Column("moratorium_reference", sa.Text, primary_key=True),
        sa.Column("hold_version", sa.Integer, primary_key=True),
        sa.Column("service", sa.Text, primary_key=True),
        sa.Column("confirmed_debt_ids", postgresql.ARRAY(sa.Uuid), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "debts_report",
        sa.Column("report_reference", sa.Text, primary_key=True),
        sa.Column("moratorium_reference", sa.Text, nullable=False, index=True),
        sa.Column("reported_on", sa.Date, nullable=False),
        sa.Column("debt_ids", postgresql.ARRAY(sa.Uuid), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("written_to", sa.Text),
        sa.Column("written_at", sa.DateTime(timezone=True)),
        _now(),
        schema=SCHEMA,
    )
    op.create_table(
        "customer",
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("forenames", sa.Text),
        sa.Column("surname", sa.Text),
        sa.Column("surname_key", sa.Text),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("addresses", postgresql.JSONB, nullable=False),
        sa.Column("postcode_keys", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("reference_keys", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("customer_surname", "customer", ["surname_key"], schema=SCHEMA)
    op.create_index("customer_birth", "customer", ["date_of_birth"], schema=SCHEMA)
    op.execute(f"CREATE INDEX customer_postcodes ON {SCHEMA}.customer USING gin (postcode_keys)")
    op.execute(f"CREATE INDEX customer_references ON {SCHEMA}.customer USING gin (reference_keys)")
    op.create_table(
        "debt",
        sa.Column("debt_id", sa.Uuid, primary_key=True),
        sa.Column("customer_ids", postgresql.ARRAY(sa.Uuid), nullable=False, server_default="{}"),
        sa.Column("debt_type", sa.Text),
        sa.Column("external_reference", sa.Text),
        sa.Column("reference_key", sa.Text),
        sa.Column("raised_on", sa.Date),
        sa.Column("balance_pence", sa.BigInteger),
        sa.Column("closed", sa.Text),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema=SCHEMA,
    )
    op.execute(f"CREATE INDEX debt_customers ON {SCHEMA}.debt USING gin (customer_ids)")
    op.create_index("debt_reference", "debt", ["reference_key"], schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("breathing space migrations are forward-only")
