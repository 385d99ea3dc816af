"""The regulated path's facts: each debt's instalments for its financial year and the payments towards them (from
billing's events), and the magistrates' court's outcome per summons as an officer records it.

Additive: no existing row changes. Cases opened before this revision have no instalment rows; the defaults
counted on the case row (`defaulted_instalments`) stay as they were, and billing's next instalment or payment
event for the debt adds the facts from then on.

Revision ID: recovery_0006
Revises: recovery_0005
"""

from alembic import op

revision = "recovery_0006"
down_revision = "recovery_0005"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE TABLE recovery.instalment (
        debt_id             uuid NOT NULL,
        instalment_number   integer NOT NULL,
        financial_year      text NOT NULL,
        due_date            date NOT NULL,
        amount_pence        bigint NOT NULL CHECK (amount_pence >= 0),
        told_by             text NOT NULL CHECK (told_by IN ('schedule', 'fell_due')),
        recorded_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (debt_id, instalment_number)
    )""",
    """
    CREATE TABLE recovery.instalment_payment (
        debt_id             uuid NOT NULL,
        payment_reference   text NOT NULL,
        paid_on             date NOT NULL,
        amount_pence        bigint NOT NULL CHECK (amount_pence > 0),
        instalment_number   integer,
        recorded_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (debt_id, payment_reference)
    )""",
    """
    CREATE TABLE recovery.court_result (
        court_result_id      uuid PRIMARY KEY,
        case_id              uuid NOT NULL,
        summons_step_id      uuid NOT NULL,
        outcome              text NOT NULL CHECK (outcome IN ('granted', 'adjourned', 'withdrawn', 'paid')),
        heard_on             date NOT NULL,
        court_reference      text,
        costs_awarded_pence  bigint NOT NULL DEFAULT 0 CHECK (costs_awarded_pence >= 0),
        adjourned_to         date,
        recorded_by          text NOT NULL,
        recorded_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (outcome <> 'granted' OR coalesce(btrim(court_reference), '') <> ''),
        CHECK (outcome <> 'adjourned' OR adjourned_to > heard_on)
    )""",
    "CREATE INDEX court_result_by_case ON recovery.court_result (case_id, heard_on)",
    # The court's outcomes are part of the case record: only ever added.
    "CREATE TRIGGER court_result_append_only BEFORE UPDATE OR DELETE ON recovery.court_result "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
