"""Agents gateway schema: debtors, placements, instructions waiting for a file, files sent and received (with
quarantine), agent payments and fees, breathing space periods, hold confirmations, and the messaging tables.

Revision ID: agents_gateway_0001
Revises:
"""

from alembic import op

from shared.persistence.messaging_tables import create_messaging_tables

revision = "agents_gateway_0001"
down_revision = None
branch_labels = None
depends_on = None

_TABLES = [
    # Who the debtor is, as billing registered them (the gateway's own projection; it never reads billing).
    """
    CREATE TABLE agents_gateway.debtor (
        customer_id  uuid PRIMARY KEY,
        identity     jsonb NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
    )""",
    # One referral of one debt to one agent. case_reference is what travels in files.
    """
    CREATE TABLE agents_gateway.placement (
        referral_id                uuid PRIMARY KEY,
        case_reference             text NOT NULL UNIQUE,
        case_id                    uuid NOT NULL,
        debt_id                    uuid NOT NULL,
        customer_ids               uuid[] NOT NULL,
        agent_code                 text,
        debt_type                  text NOT NULL,
        agency_kind                text NOT NULL,
        balance_pence              bigint NOT NULL,
        referred_on                date NOT NULL,
        liability_order_reference  text,
        liability_order_date       date,
        judgment_court             text,
        judgment_claim_number      text,
        judgment_on                date,
        vulnerability_flags        jsonb NOT NULL DEFAULT '[]',
        contact_notes              text,
        status                     text NOT NULL,
        refusal                    text,
        placed_file_id             bigint,
        placed_on                  date,
        agent_reference            text,
        answered_on                date,
        agent_stage                text,
        recalled_on                date,
        closed_on                  date,
        created_at                 timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX placement_debt ON agents_gateway.placement (debt_id)",
    "CREATE INDEX placement_agent_status ON agents_gateway.placement (agent_code, status)",
    # An instruction (amendment, hold, hold lifted, recall, return requested) waiting for its file.
    """
    CREATE TABLE agents_gateway.instruction (
        instruction_id        bigserial PRIMARY KEY,
        agent_code            text NOT NULL,
        referral_id           uuid NOT NULL,
        kind                  text NOT NULL,
        urgent                boolean NOT NULL,
        record                jsonb NOT NULL,
        moratorium_reference  text,
        hold_version          integer,
        sent_file_id          bigint,
        created_at            timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX instruction_waiting ON agents_gateway.instruction (agent_code, urgent) WHERE sent_file_id IS NULL",
    """
    CREATE TABLE agents_gateway.sent_file (
        file_id            bigserial PRIMARY KEY,
        agent_code         text NOT NULL,
        sequence           integer NOT NULL,
        file_name          text NOT NULL,
        file_kind          text NOT NULL,
        urgent             boolean NOT NULL,
        record_count       integer NOT NULL,
        total_pence        bigint NOT NULL,
        plaintext_sha256   text NOT NULL,
        sha256             text NOT NULL,
        size_bytes         bigint NOT NULL,
        sent_at            timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agent_code, sequence)
    )""",
    # Every file fetched from an agent: applied, quarantined (kept whole with its report) or a duplicate.
    """
    CREATE TABLE agents_gateway.received_file (
        file_id            bigserial PRIMARY KEY,
        agent_code         text NOT NULL,
        file_name          text NOT NULL,
        sha256             text NOT NULL,
        plaintext_sha256   text,
        sequence           integer,
        outcome            text NOT NULL,
        record_count       integer NOT NULL DEFAULT 0,
        problems           jsonb NOT NULL DEFAULT '[]',
        content            bytea,
        rejection_file_id  bigint,
        received_at        timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE UNIQUE INDEX received_file_once ON agents_gateway.received_file (agent_code, sha256)",
    """CREATE UNIQUE INDEX received_plaintext_once ON agents_gateway.received_file (agent_code, plaintext_sha256)
       WHERE outcome = 'applied'""",
    """CREATE UNIQUE INDEX received_sequence_once ON agents_gateway.received_file (agent_code, sequence)
       WHERE outcome = 'applied'""",
    "CREATE INDEX received_file_name ON agents_gateway.received_file (agent_code, file_name)",
    """
    CREATE TABLE agents_gateway.agent_payment (
        agent_code         text NOT NULL,
        payment_reference  text NOT NULL,
        referral_id        uuid NOT NULL,
        debt_id            uuid NOT NULL,
        amount_pence       bigint NOT NULL,
        collected_on       date NOT NULL,
        file_id            bigint NOT NULL,
        PRIMARY KEY (agent_code, payment_reference)
    )""",
    # Payments billing posted through the agent channel (from billing.payment.allocated).
    """
    CREATE TABLE agents_gateway.posted_agent_payment (
        payment_id         uuid NOT NULL,
        debt_id            uuid NOT NULL,
        channel_reference  text NOT NULL,
        amount_pence       bigint NOT NULL,
        received_on        date NOT NULL,
        PRIMARY KEY (payment_id, debt_id)
    )""",
    """
    CREATE TABLE agents_gateway.agent_fee (
        fee_id        bigserial PRIMARY KEY,
        agent_code    text NOT NULL,
        referral_id   uuid NOT NULL,
        debt_id       uuid NOT NULL,
        stage         text NOT NULL,
        amount_pence  bigint NOT NULL,
        charged_on    date NOT NULL,
        accepted      boolean NOT NULL,
        findings      jsonb NOT NULL,
        file_id       bigint NOT NULL
    )""",
    "CREATE INDEX agent_fee_referral ON agents_gateway.agent_fee (referral_id)",
    # What the agent reported doing on each case, dated: reconciliation looks for activity after a recall.
    """
    CREATE TABLE agents_gateway.agent_activity (
        referral_id   uuid NOT NULL,
        agent_code    text NOT NULL,
        record_kind   text NOT NULL,
        occurred_on   date NOT NULL,
        file_id       bigint NOT NULL
    )""",
    "CREATE INDEX agent_activity_referral ON agents_gateway.agent_activity (referral_id)",
    """
    CREATE TABLE agents_gateway.breathing_space_period (
        moratorium_reference  text NOT NULL,
        debt_id               uuid NOT NULL,
        kind                  text NOT NULL,
        starts_on             date NOT NULL,
        ends_on               date,
        PRIMARY KEY (moratorium_reference, debt_id)
    )""",
    # A hold the gateway must confirm once every hold file for it has gone out.
    """
    CREATE TABLE agents_gateway.hold_confirmation (
        moratorium_reference  text NOT NULL,
        hold_version          integer NOT NULL,
        debt_ids              uuid[] NOT NULL,
        confirmed_at          timestamptz,
        PRIMARY KEY (moratorium_reference, hold_version)
    )""",
]


def upgrade() -> None:
    create_messaging_tables("agents_gateway")
    for statement in _TABLES:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("agents_gateway migrations are forward-only")
