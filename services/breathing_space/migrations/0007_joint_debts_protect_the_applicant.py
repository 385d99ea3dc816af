"""Each held joint debt records the liable customers who are not in the breathing space: the moratorium protects
the applicant's liability only (DOMAIN.md 7, the creditor guidance on joint debts).

Revision ID: breathing_space_0007
Revises: breathing_space_0006
"""

from alembic import op

revision = "breathing_space_0007"
down_revision = "breathing_space_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE breathing_space.held_debt "
        "ADD COLUMN not_protected_customer_ids uuid[] NOT NULL DEFAULT '{}'"
    )


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
