"""A timetable that has run out waits for an officer's decision (issue 19): the day the case became due for it, on
the case row, and the officers' decisions (write off with a reason, legal action, arrangement, cancel), part of the
case record: only ever added to (the trigger refuses UPDATE and DELETE).

Revision ID: recovery_0012
Revises: recovery_0011
"""

from alembic import op

revision = "recovery_0012"
down_revision = "recovery_0011"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE recovery.recovery_case ADD COLUMN awaiting_decision_since date",
    "CREATE INDEX recovery_case_awaiting_decision ON recovery.recovery_case (awaiting_decision_since) "
    "WHERE awaiting_decision_since IS NOT NULL",
    """
    CREATE TABLE recovery.exhausted_decision (
        decision_id            uuid PRIMARY KEY,
        case_id                uuid NOT NULL REFERENCES recovery.recovery_case (case_id),
        decision               text NOT NULL CHECK (decision IN ('write_off', 'legal_action', 'arrangement',
                                                                 'cancel')),
        write_off_reason       text,
        notes                  text NOT NULL,
        due_for_decision_on    date NOT NULL,
        decided_on             date NOT NULL,
        decided_by             text NOT NULL,
        write_off_request_id   uuid,
        recorded_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((decision = 'write_off') = (write_off_reason IS NOT NULL))
    )""",
    "CREATE INDEX exhausted_decision_by_case ON recovery.exhausted_decision (case_id, recorded_at)",
    "CREATE TRIGGER exhausted_decision_append_only BEFORE UPDATE OR DELETE ON recovery.exhausted_decision "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
