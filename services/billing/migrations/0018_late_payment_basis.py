"""Each late payment charge recorded with the rule that made it (issue 19): its posting names the debt line it
added and keeps its basis, the Late Payment of Commercial Debts (Interest) Act 1998 (a business debtor) or the
charge's contract (the only way an individual is charged); for the Act's interest the reference day (31 December
or 30 June) and the Bank of England base rate in force on it (the reference rate, to which 8% is added); for the
Act's fixed sum the band the debt's size fell in (under £1,000: £40; £1,000 to £9,999.99: £70; £10,000 or more:
£100). Charges from before have none.

Revision ID: billing_0018
Revises: billing_0017
"""

from alembic import op

revision = "billing_0018"
down_revision = "billing_0017"
branch_labels = None
depends_on = None

STATEMENTS = [
    """ALTER TABLE billing.posting
        ADD COLUMN line_number integer,
        ADD COLUMN late_payment_basis text,
        ADD COLUMN reference_day date,
        ADD COLUMN base_rate_percent numeric,
        ADD COLUMN fixed_sum_band text""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
