"""The write-off officer's decisions on payments billing held for consideration (issue 19; Derby App.1 §12): who
decided, why, the rule billing applied, and what it moved. One row per payment: a decision is applied once.

Revision ID: billing_0012
Revises: billing_0011
"""

from alembic import op

revision = "billing_0012"
down_revision = "billing_0011"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE billing.considered_payment (
        payment_id uuid PRIMARY KEY,
        write_off_id uuid NOT NULL,
        debt_id uuid NOT NULL,
        outcome text NOT NULL,
        reason text NOT NULL,
        decided_by text NOT NULL,
        decided_on date NOT NULL,
        rule text NOT NULL,
        recovered_pence bigint NOT NULL DEFAULT 0,
        overpaid_pence bigint NOT NULL DEFAULT 0,
        refunded_pence bigint NOT NULL DEFAULT 0,
        recorded_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX considered_payment_debt ON billing.considered_payment (debt_id)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
