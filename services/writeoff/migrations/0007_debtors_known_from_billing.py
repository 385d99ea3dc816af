"""Who owes each debt, as billing says (issue 15): schedules show each debtor's name, account reference and debt
age, and declarations of interest are made by finding the person. `debtor` is the projection of billing's
`billing.customer.registered` / `.amended` (name, postcode, references; no other service's table is read), and
`debt_standing` keeps the debt's own reference and dates from `billing.debt.raised`.

Revision ID: writeoff_0007
Revises: writeoff_0006
"""

from alembic import op

revision = "writeoff_0007"
down_revision = "writeoff_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE writeoff.debtor (
            customer_id uuid PRIMARY KEY,
            kind text NOT NULL,
            name text NOT NULL,
            postcode text NOT NULL DEFAULT '',
            address text NOT NULL DEFAULT '',
            account_references jsonb NOT NULL DEFAULT '{}',
            -- lower-cased name, postcode (with and without its space) and references: what a search matches
            search_text text NOT NULL
        )
        """
    )
    op.execute("ALTER TABLE writeoff.debt_standing ADD COLUMN external_reference text")
    op.execute("ALTER TABLE writeoff.debt_standing ADD COLUMN due_date date")
    op.execute("ALTER TABLE writeoff.debt_standing ADD COLUMN raised_on date")
    # A debt found by its invoice or account reference when declaring an interest.
    op.execute(
        "CREATE INDEX debt_standing_by_reference ON writeoff.debt_standing (lower(external_reference))"
    )


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
