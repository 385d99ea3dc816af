"""Who asked for an instruction: the officer (their principal's `recorded_as`) who asked the agent to return a
case, kept with the return request and shown where return requests are listed (`GET /return-requests`,
`GET /placements/{referral_id}`). Requests made before this are kept as they were, with no one named.

Revision ID: agents_gateway_0007
Revises: agents_gateway_0006
"""

from alembic import op

revision = "agents_gateway_0007"
down_revision = "agents_gateway_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE agents_gateway.instruction ADD COLUMN requested_by text")
    op.execute(
        "CREATE INDEX instruction_return_requests ON agents_gateway.instruction (referral_id) "
        "WHERE kind = 'return_requested'"
    )


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
