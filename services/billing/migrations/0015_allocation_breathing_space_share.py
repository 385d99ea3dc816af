"""Which share of a debt in a breathing space each allocation paid: an ongoing liability (paid first) or the
moratorium debt (the frozen arrears, reached only by money beyond the ongoing liabilities or the customer's own
direction): Debt Respite Scheme Regulations 2020, reg 6 and 7, and the creditor guidance on ongoing liabilities.

Revision ID: billing_0015
Revises: billing_0014
"""

from alembic import op

revision = "billing_0015"
down_revision = "billing_0014"
branch_labels = None
depends_on = None

STATEMENTS = [
    # NULL: the debt was not in a breathing space with ongoing liabilities on the payment date (and every
    # allocation from before this migration).
    "ALTER TABLE billing.allocation ADD COLUMN breathing_space text "
    "CHECK (breathing_space IN ('ongoing_liability', 'moratorium_debt'))",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
