"""Why a case waits in the officers' decision tray (issue 19): its timetable ran out, an agent reports an
insolvency (the order's date and what was owed on it are for the officer to record), or the write-off service
refused a write-off (its reason). Shown in `GET /cases/awaiting-decision`; cleared when the case leaves the tray.

Open cases whose write-off was refused before this revision, in no tray, go into it from the day of their latest
refusal, with its reason (a case already waiting keeps its day).

Revision ID: recovery_0013
Revises: recovery_0012
"""

from alembic import op

revision = "recovery_0013"
down_revision = "recovery_0012"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE recovery.recovery_case ADD COLUMN awaiting_decision_why text",
    """
    UPDATE recovery.recovery_case c
       SET awaiting_decision_since = r.decided_on,
           awaiting_decision_why = 'write-off refused: ' || c.write_off_rejected_reason
      FROM (SELECT DISTINCT ON (q.case_id) q.case_id, o.decided_on
              FROM recovery.write_off_request q
              JOIN recovery.write_off_outcome o ON o.request_id = q.request_id AND o.outcome = 'rejected'
             ORDER BY q.case_id, o.decided_on DESC) r
     WHERE r.case_id = c.case_id AND c.status = 'open' AND c.write_off_rejected_reason IS NOT NULL
       AND c.awaiting_decision_since IS NULL
    """,
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
