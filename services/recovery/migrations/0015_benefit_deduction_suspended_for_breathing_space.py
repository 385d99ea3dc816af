"""Housing benefit overpayments in a breathing space: recovery records, as an answer to a request, that it asked
the benefits system to suspend that method (`suspended`; Debt Respite Scheme Regulations 2020, reg 7). The latest
answer still stands: a suspended method is asked again when the breathing space ends. Still append-only.

Revision ID: recovery_0015
Revises: recovery_0014
"""

from alembic import op

revision = "recovery_0015"
down_revision = "recovery_0014"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE recovery.benefit_deduction_answer DROP CONSTRAINT benefit_deduction_answer_outcome_check",
    "ALTER TABLE recovery.benefit_deduction_answer ADD CONSTRAINT benefit_deduction_answer_outcome_check "
    "CHECK (outcome IN ('confirmed', 'stopped', 'suspended'))",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
