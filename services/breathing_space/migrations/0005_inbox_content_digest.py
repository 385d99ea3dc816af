"""The inbox keeps a digest of each event (an event id reused with different content is refused, not dropped),
and each dead letter the broker user who published it (a replay never launders a forgery).

Revision ID: breathing_space_0005
Revises: breathing_space_0004
"""

from shared.persistence.messaging_tables import add_inbox_content_digest

revision = "breathing_space_0005"
down_revision = "breathing_space_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_inbox_content_digest("breathing_space")


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
