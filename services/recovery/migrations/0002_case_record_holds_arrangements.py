"""Recovery: the full case (next step and its date, flags), the append-only case record (steps, notices,
contacts, holds, arrangements, referrals, write-off requests), projections of customers and breathing spaces,
and the daily runs.

History tables refuse UPDATE and DELETE (Sundry 8.7: nothing is ever deleted, only added to): a void step, a
lifted hold or an ended referral is a new row, never an edit.

Revision ID: recovery_0002
Revises: recovery_0001
"""

from alembic import op

revision = "recovery_0002"
down_revision = "recovery_0001"
branch_labels = None
depends_on = None

HISTORY_TABLES = (
    "case_step",
    "step_void",
    "referral",
    "referral_end",
    "hold",
    "hold_lift",
    "notice",
    "contact",
    "circumstances",
    "arrangement",
    "arrangement_debt",
    "arrangement_instalment",
    "arrangement_payment",
    "arrangement_default",
    "write_off_request",
    "write_off_outcome",
    "case_record",
)

STATEMENTS = [
    """
    ALTER TABLE recovery.recovery_case
        ADD COLUMN financial_year text NOT NULL DEFAULT '',
        ADD COLUMN income_code text NOT NULL DEFAULT '',
        ADD COLUMN originating_service text NOT NULL DEFAULT '',
        ADD COLUMN external_reference text NOT NULL DEFAULT '',
        ADD COLUMN evidence_reference text NOT NULL DEFAULT '',
        ADD COLUMN raised_on date,
        ADD COLUMN policy_group text,
        ADD COLUMN awaiting_default boolean NOT NULL DEFAULT false,
        ADD COLUMN defaults_count integer NOT NULL DEFAULT 1,
        ADD COLUMN defaulted_instalments integer[] NOT NULL DEFAULT '{}',
        ADD COLUMN arrangement_id uuid,
        ADD COLUMN arrangement_status text,
        ADD COLUMN vulnerable boolean NOT NULL DEFAULT false,
        ADD COLUMN cant_pay boolean NOT NULL DEFAULT false,
        ADD COLUMN circumstances_reviewed_on date,
        ADD COLUMN debtor_is_individual boolean NOT NULL DEFAULT true,
        ADD COLUMN next_step_name text,
        ADD COLUMN next_step_eligible_from date,
        ADD COLUMN write_off_rejected_reason text,
        ADD COLUMN closed_reason text,
        ADD COLUMN closed_on date
    """,
    # The daily run's one indexed question: which open cases have a step due by the business date.
    """
    CREATE INDEX recovery_case_due ON recovery.recovery_case (next_step_eligible_from)
        WHERE status = 'open' AND next_step_eligible_from IS NOT NULL
    """,
    """
    CREATE TABLE recovery.case_customer (
        case_id      uuid NOT NULL,
        customer_id  uuid NOT NULL,
        PRIMARY KEY (case_id, customer_id)
    )""",
    "CREATE INDEX case_customer_by_customer ON recovery.case_customer (customer_id)",
    """
    CREATE TABLE recovery.customer (
        customer_id  uuid PRIMARY KEY,
        kind         text NOT NULL,
        name         text NOT NULL,
        large_print  boolean NOT NULL DEFAULT false
    )""",
    """
    CREATE TABLE recovery.breathing_space_notice (
        moratorium_reference  text NOT NULL,
        debt_id               uuid NOT NULL,
        kind                  text NOT NULL,
        starts_on             date NOT NULL,
        expected_end_on       date,
        last_protected_day    date,
        hold_version          integer NOT NULL,
        PRIMARY KEY (moratorium_reference, debt_id)
    )""",
    "CREATE INDEX breathing_space_notice_by_debt ON recovery.breathing_space_notice (debt_id)",
    """
    CREATE TABLE recovery.daily_run (
        run_id               uuid PRIMARY KEY,
        business_date        date NOT NULL,
        requested_at         timestamptz NOT NULL DEFAULT now(),
        started_at           timestamptz,
        finished_at          timestamptz,
        cases_examined       integer NOT NULL DEFAULT 0,
        steps_taken          integer NOT NULL DEFAULT 0,
        notices_issued       integer NOT NULL DEFAULT 0,
        referrals            integer NOT NULL DEFAULT 0,
        write_off_requests   integer NOT NULL DEFAULT 0,
        arrangements_defaulted integer NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX daily_run_unfinished ON recovery.daily_run (requested_at) WHERE finished_at IS NULL",
    # ---- the case record: append-only ------------------------------------------------------------------------
    """
    CREATE TABLE recovery.case_step (
        step_id      uuid PRIMARY KEY,
        case_id      uuid NOT NULL,
        step_name    text NOT NULL,
        kind         text NOT NULL,
        taken_on     date NOT NULL,
        costs_pence  bigint NOT NULL DEFAULT 0,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, step_name, taken_on)
    )""",
    "CREATE INDEX case_step_by_case ON recovery.case_step (case_id)",
    """
    CREATE TABLE recovery.step_void (
        step_id      uuid PRIMARY KEY,
        voided_on    date NOT NULL,
        reason       text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.referral (
        referral_id    uuid PRIMARY KEY,
        case_id        uuid NOT NULL,
        step_id        uuid NOT NULL UNIQUE,
        agency_kind    text NOT NULL,
        referred_on    date NOT NULL,
        balance_pence  bigint NOT NULL,
        recorded_at    timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX referral_by_case ON recovery.referral (case_id)",
    """
    CREATE TABLE recovery.referral_end (
        referral_id  uuid PRIMARY KEY,
        ended_on     date NOT NULL,
        how          text NOT NULL,
        reason       text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.hold (
        hold_id                uuid PRIMARY KEY,
        case_id                uuid NOT NULL,
        kind                   text NOT NULL,
        reason                 text NOT NULL,
        authorised_by          text NOT NULL,
        starts_on              date NOT NULL,
        ends_on                date,
        review_on              date,
        disputed_amount_pence  bigint,
        reference              text NOT NULL DEFAULT '',
        recorded_at            timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX hold_by_case ON recovery.hold (case_id)",
    "CREATE UNIQUE INDEX hold_one_per_moratorium ON recovery.hold (case_id, reference) WHERE reference <> ''",
    """
    CREATE TABLE recovery.hold_lift (
        hold_id      uuid PRIMARY KEY,
        lifted_on    date NOT NULL,
        lifted_by    text NOT NULL,
        reason       text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.notice (
        notice_id     uuid PRIMARY KEY,
        case_id       uuid NOT NULL,
        step_id       uuid NOT NULL,
        step_name     text NOT NULL,
        issued_on     date NOT NULL,
        amount_pence  bigint NOT NULL,
        large_print   boolean NOT NULL,
        letter_text   text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX notice_by_case ON recovery.notice (case_id)",
    """
    CREATE TABLE recovery.contact (
        contact_id    uuid PRIMARY KEY,
        case_id       uuid,
        customer_id   uuid,
        contacted_on  date NOT NULL,
        channel       text NOT NULL,
        direction     text NOT NULL,
        officer       text NOT NULL,
        summary       text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.circumstances (
        entry_id      uuid PRIMARY KEY,
        customer_id   uuid NOT NULL,
        recorded_on   date NOT NULL,
        vulnerable    boolean NOT NULL,
        cant_pay      boolean NOT NULL,
        wont_pay      boolean NOT NULL,
        indicators    jsonb NOT NULL,
        large_print   boolean NOT NULL,
        reviewed      boolean NOT NULL,
        notes         text NOT NULL,
        recorded_by   text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX circumstances_by_customer ON recovery.circumstances (customer_id)",
    """
    CREATE TABLE recovery.arrangement (
        arrangement_id             uuid PRIMARY KEY,
        customer_id                uuid,
        made_on                    date NOT NULL,
        made_by                    text NOT NULL,
        total_pence                bigint NOT NULL,
        instalment_pence           bigint NOT NULL,
        instalments                integer NOT NULL,
        first_due_on               date NOT NULL,
        monthly_income_pence       bigint NOT NULL,
        monthly_expenditure_pence  bigint NOT NULL,
        statement_recorded_by      text NOT NULL,
        affordable                 boolean NOT NULL,
        within_policy              boolean NOT NULL,
        note                       text NOT NULL,
        recorded_at                timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.arrangement_debt (
        arrangement_id  uuid NOT NULL,
        case_id         uuid NOT NULL,
        debt_id         uuid NOT NULL,
        amount_pence    bigint NOT NULL,
        PRIMARY KEY (arrangement_id, case_id)
    )""",
    "CREATE INDEX arrangement_debt_by_debt ON recovery.arrangement_debt (debt_id)",
    """
    CREATE TABLE recovery.arrangement_instalment (
        arrangement_id  uuid NOT NULL,
        number          integer NOT NULL,
        due_on          date NOT NULL,
        amount_pence    bigint NOT NULL,
        owed_to_date_pence bigint NOT NULL,
        PRIMARY KEY (arrangement_id, number)
    )""",
    """
    CREATE TABLE recovery.arrangement_payment (
        payment_id      uuid NOT NULL,
        arrangement_id  uuid NOT NULL,
        debt_id         uuid NOT NULL,
        received_on     date NOT NULL,
        amount_pence    bigint NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (payment_id, debt_id)
    )""",
    "CREATE INDEX arrangement_payment_by_arrangement ON recovery.arrangement_payment (arrangement_id)",
    """
    CREATE TABLE recovery.arrangement_default (
        arrangement_id           uuid PRIMARY KEY,
        defaulted_on             date NOT NULL,
        missed_instalment        integer NOT NULL,
        whole_balance_due_pence  bigint NOT NULL,
        recorded_at              timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.write_off_request (
        request_id    uuid PRIMARY KEY,
        case_id       uuid NOT NULL,
        debt_id       uuid NOT NULL,
        reason_code   text NOT NULL,
        amount_pence  bigint NOT NULL,
        evidence      jsonb NOT NULL,
        requested_by  text NOT NULL,
        requested_on  date NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX write_off_request_by_case ON recovery.write_off_request (case_id)",
    """
    CREATE TABLE recovery.write_off_outcome (
        request_id   uuid PRIMARY KEY,
        outcome      text NOT NULL,
        reason       text NOT NULL,
        decided_on   date NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
    )""",
    """
    CREATE TABLE recovery.case_record (
        entry_id     bigserial PRIMARY KEY,
        case_id      uuid NOT NULL,
        recorded_on  date NOT NULL,
        entry        text NOT NULL,
        summary      text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX case_record_by_case ON recovery.case_record (case_id, entry_id)",
    """
    CREATE FUNCTION recovery.refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'recovery.% is the case record: rows are only ever added (Sundry 8.7)', TG_TABLE_NAME;
    END $$""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)
    for table in HISTORY_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON recovery.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()"
        )


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
