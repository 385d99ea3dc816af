"""A charge may say its contract provides for late payment charges (off unless set): the only way an
individual is charged interest or a fee, since the Late Payment of Commercial Debts (Interest) Act 1998 reaches
business debtors alone.

Revision ID: billing_0007
Revises: billing_0006
"""

from alembic import op

revision = "billing_0007"
down_revision = "billing_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE billing.debt ADD COLUMN late_payment_under_contract boolean NOT NULL DEFAULT false"
    )


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
