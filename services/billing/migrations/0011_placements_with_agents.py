"""Which debts are with an enforcement agent or collection agency, as recovery and the agents gateway announce it
(Sundry 8.20: once a case is placed, payments go to the agent): billing's own projection, never their tables.

Revision ID: billing_0011
Revises: billing_0010
"""

from alembic import op

revision = "billing_0011"
down_revision = "billing_0010"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE billing.placement (
        referral_id uuid PRIMARY KEY,
        debt_id uuid NOT NULL,
        agency_kind text,
        agent text,
        placed_on date NOT NULL,
        ended_on date,
        end_reason text)""",
    "CREATE INDEX placement_open_debt ON billing.placement (debt_id) WHERE ended_on IS NULL",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
