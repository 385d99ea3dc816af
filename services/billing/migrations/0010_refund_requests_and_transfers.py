"""Refunds a senior officer authorises, taxpayers' refund requests, and debts transferred between customers.

- `refund`: who authorised it and when, why it is due, and the taxpayer's request it answers (if any).
- `refund_request`: a taxpayer's request to repay a council tax or rates overpayment rather than credit it
  against later liability (reg 31), once per requesting system and reference; the account's later overpayments
  are repaid while it stands.
- `debt_transfer`: each officer's correction of who is liable for a debt, with who made it and why.

Revision ID: billing_0010
Revises: billing_0009
"""

from alembic import op

revision = "billing_0010"
down_revision = "billing_0009"
branch_labels = None
depends_on = None

STATEMENTS = [
    """ALTER TABLE billing.refund
        ADD COLUMN request_reference text,
        ADD COLUMN authorised_by text,
        ADD COLUMN authorised_on date""",
    "CREATE INDEX refund_due ON billing.refund (created_on) WHERE status = 'due'",
    """CREATE TABLE billing.refund_request (
        requesting_system text NOT NULL,
        request_reference text NOT NULL,
        account_reference text NOT NULL,
        customer_id uuid,
        requested_on date NOT NULL,
        outcome text NOT NULL,
        refund_id uuid,
        amount_pence bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (requesting_system, request_reference))""",
    "CREATE INDEX refund_request_account ON billing.refund_request (account_reference) WHERE outcome <> 'refused'",
    """CREATE TABLE billing.debt_transfer (
        transfer_id uuid PRIMARY KEY,
        debt_id uuid NOT NULL REFERENCES billing.debt (debt_id),
        from_customer_ids uuid[] NOT NULL,
        to_customer_ids uuid[] NOT NULL,
        reason text NOT NULL,
        transferred_by text NOT NULL,
        transferred_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX debt_transfer_debt ON billing.debt_transfer (debt_id)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
