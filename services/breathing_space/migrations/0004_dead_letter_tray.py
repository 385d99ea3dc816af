"""Dead letters become a work tray: each is replayed or discarded once, with who did it and why.

Revision ID: breathing_space_0004
Revises: breathing_space_0003
"""

from shared.persistence.messaging_tables import create_dead_letter_tray

revision = "breathing_space_0004"
down_revision = "breathing_space_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_dead_letter_tray("breathing_space")


def downgrade() -> None:
    raise NotImplementedError("breathing_space migrations are forward-only")
