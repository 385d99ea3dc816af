"""Court results files: each file received (from the configured folder or uploaded), by its sha256, with what
happened to it (applied whole, or quarantined whole with the report of every bad row), and the outcomes it
recorded. A file is applied or quarantined once: the same bytes again change nothing.

Additive: no existing row changes; outcomes recorded by an officer keep `court_results_file` empty.

Revision ID: recovery_0008
Revises: recovery_0007
"""

from alembic import op

revision = "recovery_0008"
down_revision = "recovery_0007"
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE TABLE recovery.court_results_file (
        sha256        char(64) PRIMARY KEY,
        file_name     text NOT NULL,
        received_via  text NOT NULL CHECK (received_via IN ('folder', 'upload')),
        received_by   text NOT NULL,
        received_on   date NOT NULL,
        received_at   timestamptz NOT NULL DEFAULT now(),
        status        text NOT NULL CHECK (status IN ('applied', 'quarantined')),
        row_count     integer NOT NULL CHECK (row_count >= 0),
        problems      jsonb NOT NULL DEFAULT '[]'::jsonb,
        content       bytea NOT NULL
    )""",
    "ALTER TABLE recovery.court_result ADD COLUMN court_results_file char(64)",
    "CREATE TRIGGER court_results_file_append_only BEFORE UPDATE OR DELETE ON recovery.court_results_file "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
