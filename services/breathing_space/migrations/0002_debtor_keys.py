"""What the notified debtor can be found by (surname, date of birth, postcode, notified reference keys), so that a
customer billing registers later is checked only against the unmatched moratoria it could match.

Revision ID: breathing_space_0002
Revises: breathing_space_0001
"""

from alembic import op

revision = "breathing_space_0002"
down_revision = "breathing_space_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE breathing_space.moratorium ADD COLUMN debtor_keys text[] NOT NULL DEFAULT '{}'")
    op.execute("CREATE INDEX moratorium_debtor_keys ON breathing_space.moratorium USING gin (debtor_keys)")


def downgrade() -> None:
    raise NotImplementedError("breathing space migrations are forward-only")
