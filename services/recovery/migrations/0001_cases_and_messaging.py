"""Recovery schema: recovery cases, and the outbox/inbox/dead-letter tables.

Revision ID: recovery_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from shared.persistence.messaging_tables import create_messaging_tables

revision = "recovery_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables("recovery")
    op.create_table(
        "recovery_case",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("debt_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("customer_ids", sa.JSON, nullable=False),
        sa.Column("debt_type", sa.Text, nullable=False),
        sa.Column("balance_pence", sa.BigInteger, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema="recovery",
    )


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
