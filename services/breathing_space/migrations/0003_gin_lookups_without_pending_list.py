"""The projection's GIN indexes looked up without a pending list.

Billing's events arrive in thousands (a billing run raises 200,000 debts); with GIN's default fast update the
new entries wait in an unsorted pending list that every search for a person's debts scans in full until vacuum
merges it. A breathing space search must be fast whatever billing did a minute ago, so entries go straight into
the index.

Revision ID: breathing_space_0003
Revises: breathing_space_0002
"""

from alembic import op

revision = "breathing_space_0003"
down_revision = "breathing_space_0002"
branch_labels = None
depends_on = None

_INDEXES = (
    "moratorium_customers",
    "moratorium_notified_references",
    "moratorium_debtor_keys",
    "customer_postcodes",
    "customer_references",
    "debt_customers",
)


def upgrade() -> None:
    for index in _INDEXES:
        op.execute(f"ALTER INDEX breathing_space.{index} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('breathing_space.{index}')")


def downgrade() -> None:
    raise NotImplementedError("breathing space migrations are forward-only")
