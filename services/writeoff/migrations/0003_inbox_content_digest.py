"""The inbox keeps a digest of each event (an event id reused with different content is refused, not dropped),
and each dead letter the broker user who published it (a replay never launders a forgery).

Revision ID: writeoff_0003
Revises: writeoff_0002
"""

from shared.persistence.messaging_tables import add_inbox_content_digest

revision = "writeoff_0003"
down_revision = "writeoff_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_inbox_content_digest("writeoff")


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
