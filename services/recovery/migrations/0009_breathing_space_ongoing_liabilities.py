"""What a breathing space hold protects on its debt (shared/contracts/breathing_space.py `HeldDebtScope`): sums
falling due after `ongoing_after` are ongoing liabilities (not frozen: reminders about them go on), and on a joint
debt who else is liable, what the council's policy allows against them and why.

Additive: holds put before this revision keep NULLs, which mean what they meant: the whole debt held.

Revision ID: recovery_0009
Revises: recovery_0008
"""

from alembic import op

revision = "recovery_0009"
down_revision = "recovery_0008"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE recovery.hold ADD COLUMN ongoing_after date",
    "ALTER TABLE recovery.hold ADD COLUMN other_liable_customer_ids uuid[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE recovery.hold ADD COLUMN other_parties_policy text",
    "ALTER TABLE recovery.hold ADD COLUMN other_parties_why text",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
