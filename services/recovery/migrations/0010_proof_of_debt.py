"""Proof of debt (NELC 5.10, 5.12): what recovery asked the originating service, by when, and the service's answers.

Both tables are part of the case record: only ever added to (the trigger refuses UPDATE and DELETE). The first
answer to a request is the one acted on; any later answer is kept beside it.

Revision ID: recovery_0010
Revises: recovery_0009
"""

from alembic import op

revision = "recovery_0010"
down_revision = "recovery_0009"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE TABLE recovery.proof_of_debt_request (
        request_id           uuid PRIMARY KEY,
        case_id              uuid NOT NULL,
        step_id              uuid NOT NULL,
        step_name            text NOT NULL,
        originating_service  text NOT NULL,
        asked                text NOT NULL,
        requested_on         date NOT NULL,
        reply_by             date NOT NULL CHECK (reply_by >= requested_on),
        recorded_at          timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX proof_of_debt_request_by_case ON recovery.proof_of_debt_request (case_id, requested_on)",
    """
    CREATE TABLE recovery.proof_of_debt_answer (
        answer_id     uuid PRIMARY KEY,
        request_id    uuid NOT NULL REFERENCES recovery.proof_of_debt_request (request_id),
        outcome       text NOT NULL CHECK (outcome IN ('provided', 'not_provided')),
        answered_on   date NOT NULL,
        detail        text NOT NULL,
        confirmed_by  text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp()
    )""",
    "CREATE INDEX proof_of_debt_answer_by_request ON recovery.proof_of_debt_answer (request_id, recorded_at)",
    "CREATE TRIGGER proof_of_debt_request_append_only BEFORE UPDATE OR DELETE ON recovery.proof_of_debt_request "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
    "CREATE TRIGGER proof_of_debt_answer_append_only BEFORE UPDATE OR DELETE ON recovery.proof_of_debt_answer "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
