"""Billing schema: customers, debts, and the outbox/inbox/dead-letter tables.

Revision ID: billing_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from shared.persistence.messaging_tables import create_messaging_tables

revision = "billing_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables("billing")
    op.create_table(
        "customer",
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("identity", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema="billing",
    )
    op.create_table(
        "debt",
        sa.Column("debt_id", sa.Uuid, primary_key=True),
        sa.Column("requesting_system", sa.Text, nullable=False),
        sa.Column("external_reference", sa.Text, nullable=False),
        sa.Column("debt_type", sa.Text, nullable=False),
        sa.Column("amount_pence", sa.BigInteger, nullable=False),
        sa.Column("financial_year", sa.Text, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("raised_on", sa.Date, nullable=False),
        sa.Column("originating_service", sa.Text, nullable=False),
        sa.Column("income_code", sa.Text, nullable=False),
        sa.Column("evidence_reference", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("requesting_system", "external_reference", name="debt_external_reference"),
        schema="billing",
    )
    op.create_table(
        "debt_party",
        sa.Column("debt_id", sa.Uuid, sa.ForeignKey("billing.debt.debt_id"), primary_key=True),
        sa.Column("customer_id", sa.Uuid, sa.ForeignKey("billing.customer.customer_id"), primary_key=True),
        schema="billing",
    )


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
