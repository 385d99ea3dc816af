"""Payments officers take at the counter: each receipt once, with the officer who recorded it (from their
token) and when; the payment itself is billing's ordinary payment (billing.payment, channel cash or card, the
receipt as its channel reference).

Revision ID: billing_0016
Revises: billing_0015
"""

from alembic import op

revision = "billing_0016"
down_revision = "billing_0015"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE billing.counter_payment (
        receipt_reference text PRIMARY KEY,
        method text NOT NULL CHECK (method IN ('cash', 'card')),
        amount_pence bigint NOT NULL CHECK (amount_pence > 0),
        customer_id uuid NOT NULL,
        directed_to uuid[] NOT NULL DEFAULT '{}',
        received_on date NOT NULL,
        payment_id uuid REFERENCES billing.payment (payment_id),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX counter_payment_customer ON billing.counter_payment (customer_id)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
