"""A formal insolvency write-off reaches only the debt owed up to the date of the order (Derby App.1 §7, issue
19): each request keeps the order's date and the amount owed on it, as the requester stated them.

Revision ID: writeoff_0012
Revises: writeoff_0011
"""

from alembic import op

revision = "writeoff_0012"
down_revision = "writeoff_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE writeoff.write_off_request
            ADD COLUMN insolvency_order_date date,
            ADD COLUMN owed_at_order_date_pence bigint
        """
    )


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
