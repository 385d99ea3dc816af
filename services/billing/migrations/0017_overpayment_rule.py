"""Each overpayment decision recorded with the rule that made it (issue 19): the refund due, and the offset
postings out of and into debts, keep the overpayment rule (Derby 11.1 offset then refund; council tax reg 31 /
business rates reg 9: refund, or credit against the same tax's later liability). Earlier rows have none.

Revision ID: billing_0017
Revises: billing_0016
"""

from alembic import op

revision = "billing_0017"
down_revision = "billing_0016"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE billing.refund ADD COLUMN rule text",
    "ALTER TABLE billing.posting ADD COLUMN rule text",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
