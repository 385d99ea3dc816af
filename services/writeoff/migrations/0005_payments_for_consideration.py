"""A payment on a debt written off for a reason that ends lawful enforcement (remitted, insolvency, prison in
lieu, statute barred) is put for an officer's consideration instead of reinstating the debt (issue 19).

Revision ID: writeoff_0005
Revises: writeoff_0004
"""

from alembic import op

revision = "writeoff_0005"
down_revision = "writeoff_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE writeoff.payment_for_consideration (
            payment_id uuid PRIMARY KEY,
            write_off_id uuid NOT NULL REFERENCES writeoff.write_off (write_off_id),
            debt_id uuid NOT NULL,
            council text NOT NULL,
            reason_code text NOT NULL,
            payment_pence bigint NOT NULL CHECK (payment_pence > 0),
            received_on date NOT NULL,
            referred_to_role text,
            considered_at timestamptz
        )
        """
    )
    # The officers' tray: what still awaits consideration, per council.
    op.execute(
        "CREATE INDEX payment_for_consideration_awaiting ON writeoff.payment_for_consideration (council) "
        "WHERE considered_at IS NULL"
    )


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
