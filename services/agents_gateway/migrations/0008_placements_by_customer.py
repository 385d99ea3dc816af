"""A customer's placements are looked up by customer (`GET /placements?customer_id=`, for the officers'
workbench): a GIN index on the placement's customers.

Revision ID: agents_gateway_0008
Revises: agents_gateway_0007
"""

from alembic import op

revision = "agents_gateway_0008"
down_revision = "agents_gateway_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX placement_customers ON agents_gateway.placement USING gin (customer_ids)")


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
