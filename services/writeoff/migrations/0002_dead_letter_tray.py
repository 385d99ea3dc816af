"""Dead letters become a work tray: each is replayed or discarded once, with who did it and why.

Revision ID: writeoff_0002
Revises: writeoff_0001
"""

from shared.persistence.messaging_tables import create_dead_letter_tray

revision = "writeoff_0002"
down_revision = "writeoff_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_dead_letter_tray("writeoff")


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
