"""A quarantined file's tray decision: resolved (the alert closed), discarded, or released (checked again and
applied whole once what was wrong is put right, e.g. the case it names was placed or the agent's key rotated).

Revision ID: agents_gateway_0006
Revises: agents_gateway_0005
"""

from alembic import op

revision = "agents_gateway_0006"
down_revision = "agents_gateway_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE agents_gateway.received_file ADD COLUMN decision text")
    op.execute(
        "UPDATE agents_gateway.received_file SET decision = 'resolved' "
        "WHERE outcome = 'quarantined' AND resolved_at IS NOT NULL"
    )


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
