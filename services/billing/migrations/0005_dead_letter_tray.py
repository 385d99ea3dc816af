"""Dead letters become a work tray: each is replayed or discarded once, with who did it and why.

Revision ID: billing_0005
Revises: billing_0004
"""

from shared.persistence.messaging_tables import create_dead_letter_tray

revision = "billing_0005"
down_revision = "billing_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_dead_letter_tray("billing")


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
