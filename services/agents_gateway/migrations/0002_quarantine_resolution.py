"""Quarantined files are resolved by an officer (the alert stays until they are).

Revision ID: agents_gateway_0002
Revises: agents_gateway_0001
"""

from alembic import op

revision = "agents_gateway_0002"
down_revision = "agents_gateway_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE agents_gateway.received_file ADD COLUMN resolved_at timestamptz, "
        "ADD COLUMN resolved_by text, ADD COLUMN resolution text"
    )


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
