"""Billing schema: find a debt by the invoice number a customer quotes when paying (its external reference).

Revision ID: billing_0003
Revises: billing_0002
"""

from alembic import op

revision = "billing_0003"
down_revision = "billing_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX debt_external_reference_alone ON billing.debt (external_reference)")


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
