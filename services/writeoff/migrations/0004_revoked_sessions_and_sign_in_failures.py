"""Sessions end at sign-out: a revoked session is kept until it would have expired, so its still-valid
signature is refused. Failed sign-ins are counted per approver and per client address (never the password)
so repeated wrong passwords are throttled.

Revision ID: writeoff_0004
Revises: writeoff_0003
"""

from alembic import op

revision = "writeoff_0004"
down_revision = "writeoff_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE writeoff.revoked_session (
            session_id text PRIMARY KEY,
            person_id text NOT NULL,
            revoked_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL
        )
        """
    )
    # Expired revocations are removed by expiry; the index keeps that delete cheap.
    op.execute("CREATE INDEX revoked_session_expires_at ON writeoff.revoked_session (expires_at)")
    op.execute(
        """
        CREATE TABLE writeoff.sign_in_failure (
            subject_kind text NOT NULL CHECK (subject_kind IN ('person', 'client_address')),
            subject text NOT NULL,
            failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
            last_failed_at timestamptz,
            locked_until timestamptz,
            PRIMARY KEY (subject_kind, subject)
        )
        """
    )


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
