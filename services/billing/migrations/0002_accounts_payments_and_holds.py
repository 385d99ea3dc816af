"""Billing schema: customer identity for matching, match reviews, instalment lines, the postings ledger,
payments and allocations, refunds, credit notes, write-offs, breathing space holds and refused requests.

Revision ID: billing_0002
Revises: billing_0001
"""

from alembic import op

revision = "billing_0002"
down_revision = "billing_0001"
branch_labels = None
depends_on = None

STATEMENTS = [
    # -- customers: the identity columns matching searches on, beside the full identity JSON ----------------
    """ALTER TABLE billing.customer
        ADD COLUMN surname_key text,
        ADD COLUMN organisation_key text,
        ADD COLUMN date_of_birth date,
        ADD COLUMN postcodes text[] NOT NULL DEFAULT '{}',
        ADD COLUMN reference_keys text[] NOT NULL DEFAULT '{}',
        ADD COLUMN merged_into uuid""",
    "CREATE INDEX customer_reference_keys ON billing.customer USING gin (reference_keys)",
    "CREATE INDEX customer_surname ON billing.customer (surname_key)",
    "CREATE INDEX customer_organisation ON billing.customer (organisation_key)",
    """CREATE TABLE billing.customer_match_review (
        review_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES billing.customer (customer_id),
        possible_matches uuid[] NOT NULL,
        reasons text[] NOT NULL,
        status text NOT NULL DEFAULT 'open',
        confirmed_customer_id uuid,
        decided_by text,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX customer_match_review_open ON billing.customer_match_review (created_at) WHERE status = 'open'",
    "CREATE INDEX debt_party_customer ON billing.debt_party (customer_id)",
    # -- debts: status and running balance (the postings ledger is the record; the column is its sum) ------
    """ALTER TABLE billing.debt
        ADD COLUMN account_reference text,
        ADD COLUMN description text,
        ADD COLUMN status text NOT NULL DEFAULT 'open',
        ADD COLUMN balance_pence bigint NOT NULL DEFAULT 0,
        ADD COLUMN written_off_pence bigint NOT NULL DEFAULT 0,
        ADD COLUMN interest_accrued_to date,
        ADD COLUMN late_fee_charged boolean NOT NULL DEFAULT false,
        ADD COLUMN cancelled_on date,
        ADD COLUMN cancellation_reason text""",
    "CREATE INDEX debt_account_reference ON billing.debt (account_reference)",
    # -- what is owed, line by line: instalments, then costs, interest, fees and reinstatements as added ----
    """CREATE TABLE billing.debt_line (
        debt_id uuid NOT NULL REFERENCES billing.debt (debt_id),
        number integer NOT NULL,
        kind text NOT NULL,
        due_date date NOT NULL,
        amount_pence bigint NOT NULL,
        outstanding_pence bigint NOT NULL,
        fell_due_on date,
        PRIMARY KEY (debt_id, number))""",
    """CREATE INDEX debt_line_falling_due ON billing.debt_line (due_date)
        WHERE fell_due_on IS NULL AND kind = 'instalment'""",
    # -- the ledger: every movement on a debt, never edited, only added to (Sundry 8.7) ---------------------
    """CREATE TABLE billing.posting (
        posting_id bigserial PRIMARY KEY,
        debt_id uuid NOT NULL REFERENCES billing.debt (debt_id),
        kind text NOT NULL,
        amount_pence bigint NOT NULL CHECK (amount_pence >= 0),
        posted_on date NOT NULL,
        cause_reference text,
        period_start date,
        period_end date,
        principal_pence bigint,
        annual_interest_percent numeric,
        day_count_basis integer,
        reversed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX posting_debt ON billing.posting (debt_id)",
    # -- payments: one channel reference is applied once ---------------------------------------------------
    """CREATE TABLE billing.payment (
        payment_id uuid PRIMARY KEY,
        channel text NOT NULL,
        channel_reference text NOT NULL,
        amount_pence bigint NOT NULL,
        received_on date NOT NULL,
        customer_id uuid,
        debt_id uuid,
        account_reference text,
        status text NOT NULL,
        unallocated_pence bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_channel_reference UNIQUE (channel, channel_reference))""",
    "CREATE INDEX payment_held ON billing.payment (debt_id) WHERE status = 'held_on_written_off_debt'",
    """CREATE TABLE billing.allocation (
        payment_id uuid NOT NULL REFERENCES billing.payment (payment_id),
        debt_id uuid NOT NULL,
        line_number integer NOT NULL,
        amount_pence bigint NOT NULL,
        basis text NOT NULL)""",
    "CREATE INDEX allocation_payment ON billing.allocation (payment_id)",
    """CREATE TABLE billing.refund (
        refund_id uuid PRIMARY KEY,
        customer_id uuid,
        payment_id uuid,
        amount_pence bigint NOT NULL CHECK (amount_pence > 0),
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'due',
        created_on date NOT NULL)""",
    # -- corrections and write-offs ------------------------------------------------------------------------
    """CREATE TABLE billing.credit_note (
        credit_note_id uuid PRIMARY KEY,
        debt_id uuid NOT NULL REFERENCES billing.debt (debt_id),
        requesting_system text NOT NULL,
        credit_note_reference text NOT NULL,
        amount_pence bigint NOT NULL,
        correction text NOT NULL,
        reason text NOT NULL,
        issued_on date NOT NULL,
        CONSTRAINT credit_note_reference UNIQUE (requesting_system, credit_note_reference))""",
    """CREATE TABLE billing.write_off (
        write_off_id uuid PRIMARY KEY,
        debt_id uuid NOT NULL REFERENCES billing.debt (debt_id),
        approved_pence bigint NOT NULL,
        posted_pence bigint NOT NULL,
        income_code text NOT NULL,
        reason_code text NOT NULL,
        approved_by text NOT NULL,
        written_off_on date NOT NULL,
        reinstated_pence bigint NOT NULL DEFAULT 0)""",
    "CREATE INDEX write_off_debt ON billing.write_off (debt_id)",
    # -- breathing space: kept whether or not the debt is known yet -----------------------------------------
    """CREATE TABLE billing.breathing_space_hold (
        moratorium_reference text NOT NULL,
        debt_id uuid NOT NULL,
        hold_version integer NOT NULL,
        starts_on date NOT NULL,
        ends_on date,
        confirmed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (moratorium_reference, debt_id))""",
    "CREATE INDEX breathing_space_hold_debt ON billing.breathing_space_hold (debt_id)",
    # -- refused requests, kept for audit -------------------------------------------------------------------
    """CREATE TABLE billing.refused_request (
        refusal_id uuid PRIMARY KEY,
        request_kind text NOT NULL,
        requesting_system text NOT NULL,
        external_reference text NOT NULL,
        reasons text[] NOT NULL,
        request jsonb NOT NULL,
        refused_on date NOT NULL,
        event_id uuid,
        created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX refused_request_reference ON billing.refused_request (requesting_system, external_reference)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("billing migrations are forward-only")
