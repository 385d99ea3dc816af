"""A debt split to stay under a band (issue 19): each decision keeps the split debts whose combined sum decided
its band (the requests, their combined sum and why), and requests are found by debtor, debt type and income
code when a schedule is banded.

Revision ID: writeoff_0011
Revises: writeoff_0010
"""

from alembic import op

revision = "writeoff_0011"
down_revision = "writeoff_0010"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE writeoff.schedule_decision ADD COLUMN split_debts json NOT NULL DEFAULT '[]'",
    "CREATE INDEX write_off_request_by_debtor ON writeoff.write_off_request "
    "(council, customer_id, debt_type, income_code, requested_on)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
