"""Customers billing merged (an officer confirmed a flagged match): the provisional customer's debts belong to the
customer it was merged into, whichever of billing's events arrives first.

Revision ID: breathing_space_0006
Revises: breathing_space_0005
"""

from alembic import op

revision = "breathing_space_0006"
down_revision = "breathing_space_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE breathing_space.customer_merge (
            merged_customer_id uuid PRIMARY KEY,
            into_customer_id   uuid NOT NULL,
            decided_by         text NOT NULL,
            recorded_at        timestamptz NOT NULL DEFAULT now()
        )
        """
    )


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
