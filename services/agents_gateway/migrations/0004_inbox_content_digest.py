"""The inbox keeps a digest of each event (an event id reused with different content is refused, not dropped),
and each dead letter the broker user who published it (a replay never launders a forgery).

Revision ID: agents_gateway_0004
Revises: agents_gateway_0003
"""

from shared.persistence.messaging_tables import add_inbox_content_digest

revision = "agents_gateway_0004"
down_revision = "agents_gateway_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_inbox_content_digest("agents_gateway")


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
