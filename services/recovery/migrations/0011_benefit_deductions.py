"""Housing benefit overpayments (NELC 7.2): each method of the order of recovery asked of the benefits system, and
its answers (confirmed, stopped). Both are part of the case record: only ever added to. The latest answer to a
request stands (deductions confirmed may later be stopped).

Revision ID: recovery_0011
Revises: recovery_0010
"""

from alembic import op

revision = "recovery_0011"
down_revision = "recovery_0010"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE TABLE recovery.benefit_deduction_request (
        request_id    uuid PRIMARY KEY,
        case_id       uuid NOT NULL,
        method        text NOT NULL CHECK (method IN ('arrears_of_benefit', 'ongoing_benefit',
                                                      'council_tax_reduction', 'other_benefits_dwp')),
        amount_pence  bigint NOT NULL CHECK (amount_pence > 0),
        requested_on  date NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
    )""",
    "CREATE INDEX benefit_deduction_request_by_case ON recovery.benefit_deduction_request (case_id, recorded_at)",
    """
    CREATE TABLE recovery.benefit_deduction_answer (
        answer_id    uuid PRIMARY KEY,
        request_id   uuid NOT NULL REFERENCES recovery.benefit_deduction_request (request_id),
        outcome      text NOT NULL CHECK (outcome IN ('confirmed', 'stopped')),
        answered_on  date NOT NULL,
        detail       text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
    )""",
    "CREATE INDEX benefit_deduction_answer_by_request ON recovery.benefit_deduction_answer (request_id, recorded_at)",
    "CREATE TRIGGER benefit_deduction_request_append_only BEFORE UPDATE OR DELETE ON "
    "recovery.benefit_deduction_request FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
    "CREATE TRIGGER benefit_deduction_answer_append_only BEFORE UPDATE OR DELETE ON "
    "recovery.benefit_deduction_answer FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
