"""Housing benefit overpayments never asked of the benefits system and stored with no next-step date were never
selected by the daily run (it selects by `next_step_eligible_from`), so the run never asked them (NELC 7.2, RBWM
9). `case_state.position_of` now dates such a case; this dates those already stored: every open overpayment with
a balance, not waiting for a first instalment default, with no next step, no date, not in the officers' decision
tray and with no request on record, is due from its due date. The daily run then asks the benefits system where
the council's policy asks it first (unless a hold stops recovery) and stores the case's position afresh either
way (a council that recovers by invoice alone gets its case's own position back).

Revision ID: recovery_0016
Revises: recovery_0015
"""

from alembic import op

revision = "recovery_0016"
down_revision = "recovery_0015"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    UPDATE recovery.recovery_case c SET next_step_eligible_from = c.due_date
     WHERE c.debt_type = 'housing_benefit_overpayment' AND c.status = 'open' AND c.balance_pence > 0
       AND NOT c.awaiting_default AND c.next_step_name IS NULL AND c.next_step_eligible_from IS NULL
       AND c.awaiting_decision_since IS NULL
       AND NOT EXISTS (SELECT 1 FROM recovery.benefit_deduction_request r WHERE r.case_id = c.case_id)
    """,
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
