"""A debt billing transferred to other customers (`billing.debt.transferred`) keeps its new liable customers even
when billing's `DebtRaised` for it arrives afterwards (events in any order).

Revision ID: breathing_space_0010
Revises: breathing_space_0009
"""

from alembic import op

revision = "breathing_space_0010"
down_revision = "breathing_space_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE breathing_space.debt ADD COLUMN transferred_on date")


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
