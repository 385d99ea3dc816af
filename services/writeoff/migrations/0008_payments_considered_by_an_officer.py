"""An officer decides each payment put for consideration (issue 19): accepted against the written-off debt,
reinstated, or refunded, with the reason and who decided (the identity provider's subject and name).

Revision ID: writeoff_0008
Revises: writeoff_0007
"""

from alembic import op

revision = "writeoff_0008"
down_revision = "writeoff_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE writeoff.payment_for_consideration
            ADD COLUMN outcome text CHECK (outcome IN ('accepted', 'reinstated', 'refunded')),
            ADD COLUMN decision_reason text,
            ADD COLUMN decided_by text,
            ADD COLUMN decided_by_name text,
            ADD CONSTRAINT considered_with_outcome_reason_and_officer CHECK (
                (considered_at IS NULL AND outcome IS NULL)
                OR (considered_at IS NOT NULL AND outcome IS NOT NULL AND decision_reason <> ''
                    AND decided_by IS NOT NULL))
        """
    )


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
