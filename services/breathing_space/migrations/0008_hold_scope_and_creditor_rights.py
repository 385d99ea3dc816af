"""What each hold protects, and the council's own rights under the Debt Respite Scheme regulations 2020.

- `debt.instalments`: each debt's schedule as billing raised it (`[[due_date, pence], ...]`), so a held debt's
  ongoing liabilities (instalments falling due after the start) are told apart from its protected arrears.
- `held_debt.protected_up_to`, `ongoing_liabilities_pence`, `other_parties_policy`: the scope each held debt was
  broadcast with (`shared/contracts/breathing_space.HeldDebtScope`).
- `moratorium.application_date`, `application_date_notified`, `broadcast_end`: the day the debtor applied (reg
  6) and the end date last broadcast (a revised end is broadcast again when it differs).
- `creditor_review_request`: review requests the council sent the debt adviser (reg 17), with their outbound
  document and where it was written.

Revision ID: breathing_space_0008
Revises: breathing_space_0007
"""

from alembic import op

revision = "breathing_space_0008"
down_revision = "breathing_space_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE breathing_space.debt ADD COLUMN instalments jsonb NOT NULL DEFAULT '[]'")
    op.execute(
        "ALTER TABLE breathing_space.held_debt ADD COLUMN protected_up_to date, "
        "ADD COLUMN ongoing_liabilities_pence bigint NOT NULL DEFAULT 0, "
        "ADD COLUMN other_parties_policy text"
    )
    op.execute(
        "ALTER TABLE breathing_space.moratorium ADD COLUMN application_date date, "
        "ADD COLUMN application_date_notified boolean NOT NULL DEFAULT true, "
        "ADD COLUMN broadcast_end date"
    )
    # Holds broadcast before this revision went out with the end date they have now: nothing to broadcast again.
    op.execute("UPDATE breathing_space.moratorium SET broadcast_end = end_date WHERE hold_started")
    op.execute(
        """
        CREATE TABLE breathing_space.creditor_review_request (
            request_reference text PRIMARY KEY,
            moratorium_reference text NOT NULL,
            requested_on date NOT NULL,
            deadline date NOT NULL,
            grounds text[] NOT NULL,
            evidence_references text[] NOT NULL,
            debt_ids uuid[] NOT NULL,
            requested_by text NOT NULL,
            document text NOT NULL,
            written_to text,
            written_at timestamptz,
            recorded_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        "CREATE INDEX creditor_review_request_by_moratorium "
        "ON breathing_space.creditor_review_request (moratorium_reference)"
    )
    op.execute(
        "CREATE INDEX creditor_review_request_unwritten "
        "ON breathing_space.creditor_review_request (recorded_at) WHERE written_at IS NULL"
    )


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
