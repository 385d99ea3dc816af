"""Letters as posted: the facts each letter says and the postal address it went to, the PDF rendered from them
(with its sha256), the daily print runs that sent them to the printer, and the record of letters disposed of
under the retention rule.

Additive: no existing row changes. Letters issued before this revision keep only their text (`notice`).

Revision ID: recovery_0007
Revises: recovery_0006
"""

from alembic import op

revision = "recovery_0007"
down_revision = "recovery_0006"
branch_labels = None
depends_on = None

STATEMENTS = [
    # Where a customer's letters are posted, as billing registered or last amended it.
    """
    CREATE TABLE recovery.postal_address (
        customer_id   uuid PRIMARY KEY,
        lines         jsonb NOT NULL,
        postcode      text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now()
    )""",
    # One row per letter issued: everything it says, so the PDF can be rendered (and rendered again) exactly.
    """
    CREATE TABLE recovery.letter (
        notice_id       uuid PRIMARY KEY,
        case_id         uuid NOT NULL,
        council         text NOT NULL,
        issued_on       date NOT NULL,
        template        text NOT NULL,
        debt_type       text NOT NULL,
        recipient_kind  text NOT NULL CHECK (recipient_kind IN ('individual', 'business')),
        print_variant   text NOT NULL CHECK (print_variant IN ('standard', 'large_print')),
        language        text NOT NULL,
        amount_pence    bigint NOT NULL,
        facts           jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now()
    )""",
    "CREATE INDEX letter_by_case ON recovery.letter (case_id, issued_on)",
    "CREATE INDEX letter_by_day ON recovery.letter (council, issued_on)",
    # The PDF as printed and its sha256: written once, removed only by the retention purge.
    """
    CREATE TABLE recovery.letter_pdf (
        notice_id     uuid PRIMARY KEY REFERENCES recovery.letter (notice_id) ON DELETE CASCADE,
        rendered_at   timestamptz NOT NULL DEFAULT now(),
        page_count    integer NOT NULL CHECK (page_count > 0),
        sha256        char(64) NOT NULL,
        pdf           bytea NOT NULL
    )""",
    """
    CREATE TABLE recovery.print_run (
        print_run_id   uuid PRIMARY KEY,
        council        text NOT NULL,
        business_date  date NOT NULL,
        sequence       integer NOT NULL,
        file_name      text NOT NULL,
        destination    text NOT NULL,
        letters        integer NOT NULL,
        pages          integer NOT NULL,
        total_pence    bigint NOT NULL,
        sha256         char(64) NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council, business_date, sequence)
    )""",
    # A letter goes to the printer once.
    """
    CREATE TABLE recovery.print_run_letter (
        notice_id     uuid PRIMARY KEY,
        print_run_id  uuid NOT NULL REFERENCES recovery.print_run (print_run_id)
    )""",
    # What the retention rule disposed of, and under which rule: the disposal itself is on record.
    """
    CREATE TABLE recovery.letter_purge (
        notice_id   uuid PRIMARY KEY,
        case_id     uuid NOT NULL,
        issued_on   date NOT NULL,
        sha256      char(64),
        purged_on   date NOT NULL,
        rule        text NOT NULL
    )""",
    """
    CREATE FUNCTION recovery.refuse_letter_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'a letter as issued is never changed (only the retention purge removes it)';
    END $$""",
    "CREATE TRIGGER letter_never_updated BEFORE UPDATE ON recovery.letter "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_letter_change()",
    "CREATE TRIGGER letter_pdf_never_updated BEFORE UPDATE ON recovery.letter_pdf "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_letter_change()",
    "CREATE TRIGGER letter_purge_append_only BEFORE UPDATE OR DELETE ON recovery.letter_purge "
    "FOR EACH ROW EXECUTE FUNCTION recovery.refuse_history_change()",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("recovery migrations are forward-only")
