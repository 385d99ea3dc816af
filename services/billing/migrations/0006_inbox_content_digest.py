"""The inbox keeps a digest of each event (an event id reused with different content is refused, not dropped),
and each dead letter the broker user who published it (a replay never launders a forgery).

Revision ID: billing_0006
Revises: billing_0005
"""

from shared.persistence.messaging_tables import add_inbox_content_digest

revision = "billing_0006"
down_revision = "billing_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_inbox_content_digest("billing")


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
