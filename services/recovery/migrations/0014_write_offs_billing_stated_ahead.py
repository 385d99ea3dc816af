"""A write-off approved for less than is owed leaves the case open for the remainder (issue 19; Derby App.1 §7: an
insolvency write-off reaches only the debt up to the order). Billing's restatement of the balance after posting
the write-off and the write-off service's approval reach recovery in either order, so each case keeps what
billing's write-off restatements have taken off its balance that no approval recovery heard yet accounts for
(negative: approvals heard before billing restated); `domain/exhausted_timetable.py` `write_off_applied`.

Revision ID: recovery_0014
Revises: recovery_0013
"""

from alembic import op

revision = "recovery_0014"
down_revision = "recovery_0013"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE recovery.recovery_case ADD COLUMN billing_write_off_ahead_pence bigint NOT NULL DEFAULT 0",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
