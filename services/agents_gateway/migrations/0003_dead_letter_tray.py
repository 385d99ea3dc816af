"""Dead letters become a work tray: each is replayed or discarded once, with who did it and why.

Revision ID: agents_gateway_0003
Revises: agents_gateway_0002
"""

from shared.persistence.messaging_tables import create_dead_letter_tray

revision = "agents_gateway_0003"
down_revision = "agents_gateway_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_dead_letter_tray("agents_gateway")


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
