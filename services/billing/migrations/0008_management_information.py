"""Management information (Sundry 10, NELC 3.10 and 5.19-5.22, RBWM report 5): recovery's arrangements as
billing's own projection (for "housing benefit overpayments not under arrangement"), and the monthly
budget-holder review of debts over 90 and 120 days with each decision and who made it.

Revision ID: billing_0008
Revises: billing_0007
"""

from alembic import op

revision = "billing_0008"
down_revision = "billing_0007"
branch_labels = None
depends_on = None

STATEMENTS = [
    # -- arrangements as recovery announces them; made and defaulted may arrive in either order -------------
    """CREATE TABLE billing.arrangement (
        arrangement_id uuid PRIMARY KEY,
        customer_id uuid,
        made_on date,
        defaulted_on date,
        total_pence bigint)""",
    """CREATE TABLE billing.arrangement_debt (
        arrangement_id uuid NOT NULL REFERENCES billing.arrangement (arrangement_id),
        debt_id uuid NOT NULL,
        PRIMARY KEY (arrangement_id, debt_id))""",
    "CREATE INDEX arrangement_debt_debt ON billing.arrangement_debt (debt_id)",
    # -- the monthly budget-holder review: listed once a month, each debt's decision added once ------------
    """CREATE TABLE billing.budget_holder_review (
        review_month date NOT NULL,
        debt_id uuid NOT NULL REFERENCES billing.debt (debt_id),
        debt_type text NOT NULL,
        income_code text NOT NULL,
        directorate text NOT NULL,
        budget_holder text NOT NULL,
        days_past_due integer NOT NULL,
        over_days integer NOT NULL,
        outstanding_pence bigint NOT NULL,
        listed_on date NOT NULL,
        decide_by date NOT NULL,
        decision text,
        decision_note text,
        decided_by text,
        decided_by_subject text,
        decided_on date,
        PRIMARY KEY (review_month, debt_id))""",
    """CREATE INDEX budget_holder_review_awaiting ON billing.budget_holder_review (decide_by)
        WHERE decision IS NULL""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
