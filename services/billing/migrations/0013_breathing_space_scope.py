"""Breathing space scope (issue 13): what of each held debt is in the moratorium and what is an ongoing
liability (Debt Respite Scheme Regulations 2020, reg 7 protects only moratorium debts), and, on each interest or
fee posting, the due date of the sum it was charged on, so a late hold reverses only what it protects.

Revision ID: billing_0013
Revises: billing_0012
"""

from alembic import op

revision = "billing_0013"
down_revision = "billing_0012"
branch_labels = None
depends_on = None

STATEMENTS = [
    # NULL: the whole debt is held (a hold from before scope existed, or a debt with no ongoing liabilities).
    "ALTER TABLE billing.breathing_space_hold ADD COLUMN ongoing_after date",
    "ALTER TABLE billing.breathing_space_hold ADD COLUMN ongoing_liabilities_pence bigint NOT NULL DEFAULT 0",
    # NULL on postings from before: treated as charged on a moratorium sum.
    "ALTER TABLE billing.posting ADD COLUMN sum_due_on date",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
