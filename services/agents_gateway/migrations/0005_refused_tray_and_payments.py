"""A refused placement is an officer's tray item until redirected to a collection agency or returned to recovery
(who decided, when, why); a placement counts the council's payments applied before billing restated the balance,
so a payment and its balance change, arriving in either order, lower the balance once.

Revision ID: agents_gateway_0005
Revises: agents_gateway_0004
"""

from alembic import op

revision = "agents_gateway_0005"
down_revision = "agents_gateway_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE agents_gateway.placement ADD COLUMN refused_at timestamptz, "
        "ADD COLUMN decision text, ADD COLUMN decided_by text, ADD COLUMN decided_at timestamptz, "
        "ADD COLUMN decision_reason text, ADD COLUMN redirected_from text, "
        "ADD COLUMN payments_ahead_pence bigint NOT NULL DEFAULT 0"
    )
    # Referrals refused before the tray existed join it, as waiting since the day they were refused.
    op.execute(
        "UPDATE agents_gateway.placement SET refused_at = answered_on::timestamp AT TIME ZONE 'Europe/London' "
        "WHERE status = 'refused' AND answered_on IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX placement_refused_undecided ON agents_gateway.placement (refused_at) "
        "WHERE status = 'refused' AND decision IS NULL"
    )


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
