"""The daily runs the scheduler has requested, one row a date, so that no date is ever requested twice and a
missed one is caught up from the last date requested.

Revision ID: recovery_0005
Revises: recovery_0004
"""

from alembic import op

revision = "recovery_0005"
down_revision = "recovery_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE recovery.daily_run_request (
            business_date  date PRIMARY KEY,
            requested_at   timestamptz NOT NULL DEFAULT now(),
            requested_by   text NOT NULL
        )"""
    )


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
