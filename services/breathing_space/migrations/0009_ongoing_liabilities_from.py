"""Each held debt records the first due date of its ongoing liabilities (`HeldDebtScope.ongoing_from`), so a hold
restated later carries the same scope it was broadcast with.

Revision ID: breathing_space_0009
Revises: breathing_space_0008
"""

from alembic import op

revision = "breathing_space_0009"
down_revision = "breathing_space_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE breathing_space.held_debt ADD COLUMN ongoing_from date")


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
