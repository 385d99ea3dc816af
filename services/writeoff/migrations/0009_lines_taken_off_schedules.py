"""Lines taken off a write-off schedule before its decision (issue 19): who took each off (the identity
provider's name for the signed-in officer), when and why. Only ever added to: the trigger refuses UPDATE and
DELETE (Derby App.1 §11, Sundry 8.7).

Revision ID: writeoff_0009
Revises: writeoff_0008
"""

from alembic import op

revision = "writeoff_0009"
down_revision = "writeoff_0008"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE OR REPLACE FUNCTION writeoff.refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'writeoff.% is a history: rows are only ever added', TG_TABLE_NAME;
    END
    $$""",
    """
    CREATE TABLE writeoff.schedule_line_taken_off (
        removal_id     uuid PRIMARY KEY,
        schedule_id    uuid NOT NULL REFERENCES writeoff.write_off_schedule (schedule_id),
        request_id     uuid NOT NULL REFERENCES writeoff.write_off_request (request_id),
        amount_pence   bigint NOT NULL,
        reason         text NOT NULL CHECK (btrim(reason) <> ''),
        taken_off_by   text NOT NULL CHECK (btrim(taken_off_by) <> ''),
        taken_off_at   timestamptz NOT NULL,
        recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp()
    )""",
    "CREATE INDEX schedule_line_taken_off_by_schedule ON writeoff.schedule_line_taken_off (schedule_id)",
    "CREATE INDEX schedule_line_taken_off_by_request ON writeoff.schedule_line_taken_off (request_id)",
    "CREATE TRIGGER schedule_line_taken_off_append_only BEFORE UPDATE OR DELETE "
    "ON writeoff.schedule_line_taken_off FOR EACH ROW EXECUTE FUNCTION writeoff.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
