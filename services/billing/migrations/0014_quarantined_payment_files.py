"""Payment files quarantined whole (one unreadable line), kept as the officers' tray: each file, where it was
kept, when, and every problem its report lists, until an officer resubmits it.

Revision ID: billing_0014
Revises: billing_0013
"""

from alembic import op

revision = "billing_0014"
down_revision = "billing_0013"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE billing.quarantined_payment_file (
        file_id bigserial PRIMARY KEY,
        file_name text NOT NULL,
        kept_at text NOT NULL,
        payments integer NOT NULL,
        problems jsonb NOT NULL,
        quarantined_on date NOT NULL,
        quarantined_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'awaiting_officer')""",
    "CREATE INDEX quarantined_payment_file_waiting ON billing.quarantined_payment_file (quarantined_at) "
    "WHERE status = 'awaiting_officer'",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
