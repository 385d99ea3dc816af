"""Signing in moved to the council's OpenID Connect provider (issue 15): the provider checks passwords, throttles
wrong ones and keeps sessions, so the service's own revoked sessions and sign-in failure counts go.

Revision ID: writeoff_0006
Revises: writeoff_0005
"""

from alembic import op

revision = "writeoff_0006"
down_revision = "writeoff_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS writeoff.revoked_session")
    op.execute("DROP TABLE IF EXISTS writeoff.sign_in_failure")


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
