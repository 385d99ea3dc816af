"""Write-off schema: projections of other services' facts, requests, schedules, decisions, declarations of
interest, write-offs and reinstatements, and the outbox/inbox/dead-letter tables.

Revision ID: writeoff_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from shared.persistence.messaging_tables import create_messaging_tables

revision = "writeoff_0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "writeoff"


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    create_messaging_tables(SCHEMA)
    # What billing, recovery, breathing space and the agents gateway have said about each debt.
    op.create_table(
        "debt_standing",
        sa.Column("debt_id", sa.Uuid, primary_key=True),
        sa.Column("customer_ids", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("debt_type", sa.Text),
        sa.Column("income_code", sa.Text),
        sa.Column("financial_year", sa.Text),
        sa.Column("originating_service", sa.Text),
        sa.Column("balance_pence", sa.BigInteger),
        sa.Column("balance_as_of", sa.Date),
        sa.Column("settled", sa.Boolean, nullable=False, server_default=sa.false()),
        schema=SCHEMA,
    )
    op.create_table(
        "debt_hold",
        sa.Column("hold_id", sa.Uuid, primary_key=True),
        sa.Column("debt_id", sa.Uuid, nullable=False, index=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("lifted", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "moratorium_debt",
        sa.Column("moratorium_reference", sa.Text, primary_key=True),
        sa.Column("debt_id", sa.Uuid, primary_key=True),
        sa.Column("hold_version", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("moratorium_debt_by_debt", "moratorium_debt", ["debt_id"], schema=SCHEMA)
    op.create_table(
        "agent_placement",
        sa.Column("referral_id", sa.Uuid, primary_key=True),
        sa.Column("debt_id", sa.Uuid, nullable=False, index=True),
        sa.Column("open", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "write_off_schedule",
        sa.Column("schedule_id", sa.Uuid, primary_key=True),
        sa.Column("number", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
        sa.Column("council", sa.Text, nullable=False),
        sa.Column("band_table", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("built_by", sa.Text, nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "write_off_request",
        sa.Column("request_id", sa.Uuid, primary_key=True),
        sa.Column("council", sa.Text, nullable=False),
        sa.Column("debt_id", sa.Uuid, nullable=False, index=True),
        sa.Column("case_id", sa.Uuid),
        sa.Column("customer_id", sa.Text, nullable=False, server_default=""),
        sa.Column("debt_type", sa.Text, nullable=False),
        sa.Column("debt_area", sa.Text),
        sa.Column("income_code", sa.Text, nullable=False),
        sa.Column("financial_year", sa.Text, nullable=False),
        sa.Column("originating_service", sa.Text, nullable=False),
        sa.Column("amount_pence", sa.BigInteger, nullable=False),
        sa.Column("reason_code", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("written_report", sa.Text),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("requested_on", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("refusals", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("schedule_id", sa.Uuid, sa.ForeignKey(f"{SCHEMA}.write_off_schedule.schedule_id")),
        sa.Column("decided_on", sa.Date),
        _created_at(),
        schema=SCHEMA,
    )
    op.create_index("write_off_request_by_schedule", "write_off_request", ["schedule_id"], schema=SCHEMA)
    op.create_index("write_off_request_by_status", "write_off_request", ["council", "status"], schema=SCHEMA)
    op.create_table(
        "schedule_decision",
        sa.Column(
            "schedule_id",
            sa.Uuid,
            sa.ForeignKey(f"{SCHEMA}.write_off_schedule.schedule_id"),
            primary_key=True,
        ),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text, nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("authority_band", sa.Text, nullable=False),
        sa.Column("required_band", sa.Text, nullable=False),
        sa.Column("presented_hash", sa.Text, nullable=False),
        sa.Column("approved_lines_hash", sa.Text, nullable=False),
        sa.Column("statement_of_no_interest", sa.Text),
        sa.Column("committee", sa.Text),
        sa.Column("meeting_reference", sa.Text),
        sa.Column("meeting_date", sa.Date),
        sa.Column("interests_declared_at_meeting", sa.Text),
        sa.Column("approved_lines", sa.Integer, nullable=False),
        sa.Column("approved_total_pence", sa.BigInteger, nullable=False),
        sa.Column("rejected_lines", sa.Integer, nullable=False),
        sa.Column("rejected_total_pence", sa.BigInteger, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "refused_decision",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("schedule_id", sa.Uuid, nullable=False, index=True),
        sa.Column("person_id", sa.Text),
        sa.Column("refusals", sa.JSON, nullable=False),
        _created_at(),
        schema=SCHEMA,
    )
    op.create_table(
        "declaration_of_interest",
        sa.Column("declaration_id", sa.Uuid, primary_key=True),
        sa.Column("person_id", sa.Text, nullable=False, index=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("customer_id", sa.Text),
        sa.Column("debt_id", sa.Text),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "write_off",
        sa.Column("write_off_id", sa.Uuid, primary_key=True),
        sa.Column("request_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("schedule_id", sa.Uuid, nullable=False),
        sa.Column("debt_id", sa.Uuid, nullable=False, index=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("council", sa.Text, nullable=False),
        sa.Column("income_code", sa.Text, nullable=False),
        sa.Column("debt_area", sa.Text, nullable=False),
        sa.Column("reason_code", sa.Text, nullable=False),
        sa.Column("band", sa.Text, nullable=False),
        sa.Column("amount_pence", sa.BigInteger, nullable=False),
        sa.Column("written_off_on", sa.Date, nullable=False),
        sa.Column("approved_by", sa.Text, nullable=False),
        sa.Column("reinstated_pence", sa.BigInteger, nullable=False, server_default="0"),
        schema=SCHEMA,
    )
    op.create_table(
        "reinstatement",
        sa.Column("payment_id", sa.Uuid, primary_key=True),
        sa.Column("write_off_id", sa.Uuid, sa.ForeignKey(f"{SCHEMA}.write_off.write_off_id"), nullable=False),
        sa.Column("debt_id", sa.Uuid, nullable=False),
        sa.Column("payment_pence", sa.BigInteger, nullable=False),
        sa.Column("reinstated_pence", sa.BigInteger, nullable=False),
        sa.Column("unpaid_remainder_pence", sa.BigInteger, nullable=False),
        sa.Column("surplus_pence", sa.BigInteger, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        _created_at(),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("writeoff migrations are forward-only")
