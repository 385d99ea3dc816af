"""The inbox keeps a digest of each event (an event id reused with different content is refused, not dropped),
and each dead letter the broker user who published it (a replay never launders a forgery).

Revision ID: recovery_0004
Revises: recovery_0003
"""

from shared.persistence.messaging_tables import add_inbox_content_digest

revision = "recovery_0004"
down_revision = "recovery_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_inbox_content_digest("recovery")


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
