"""The independent panel's finding on a write-off for a reason that needs one (Derby App.1 §8, issue 19): when
the panel sat, its members and/or the reference of its record, its outcome, and the officer who recorded it.
One finding per request, only ever added to (the trigger refuses UPDATE and DELETE).

Revision ID: writeoff_0010
Revises: writeoff_0009
"""

from alembic import op

revision = "writeoff_0010"
down_revision = "writeoff_0009"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE TABLE writeoff.panel_finding (
        finding_id    uuid PRIMARY KEY,
        request_id    uuid NOT NULL UNIQUE REFERENCES writeoff.write_off_request (request_id),
        panel_date    date NOT NULL,
        members       text[] NOT NULL DEFAULT '{}',
        reference     text NOT NULL DEFAULT '',
        outcome       text NOT NULL CHECK (outcome IN ('recommends_write_off', 'does_not_recommend')),
        note          text NOT NULL DEFAULT '',
        recorded_by   text NOT NULL CHECK (btrim(recorded_by) <> ''),
        recorded_at   timestamptz NOT NULL,
        CONSTRAINT panel_identified CHECK (cardinality(members) > 0 OR btrim(reference) <> '')
    )""",
    "CREATE TRIGGER panel_finding_append_only BEFORE UPDATE OR DELETE ON writeoff.panel_finding "
    "FOR EACH ROW EXECUTE FUNCTION writeoff.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
