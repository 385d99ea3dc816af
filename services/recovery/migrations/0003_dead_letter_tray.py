"""Dead letters become a work tray: each is replayed or discarded once, with who did it and why.

Revision ID: recovery_0003
Revises: recovery_0002
"""

from shared.persistence.messaging_tables import create_dead_letter_tray

revision = "recovery_0003"
down_revision = "recovery_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_dead_letter_tray("recovery")


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
