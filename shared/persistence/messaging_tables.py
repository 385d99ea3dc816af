"""The outbox, inbox and dead-letter tables every service schema carries.

Each service's first migration calls `create_messaging_tables(schema)` so the three tables are identical
everywhere and the shared outbox relay and inbox consumer can rely on them.
"""

from __future__ import annotations


def messaging_tables_ddl(schema: str) -> list[str]:
    """DDL statements creating the outbox (with a NOTIFY on commit), inbox and dead-letter tables."""
    return [
        f"""
        CREATE TABLE {schema}.outbox (
            position      bigserial PRIMARY KEY,
            event_id      uuid NOT NULL UNIQUE,
            routing_key   text NOT NULL,
            body          bytea NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now(),
            published_at  timestamptz
        )""",
        f"CREATE INDEX outbox_unpublished ON {schema}.outbox (position) WHERE published_at IS NULL",
        f"""
        CREATE FUNCTION {schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{schema}_outbox', ''); RETURN NULL; END $$""",
        f"""
        CREATE TRIGGER outbox_notify AFTER INSERT ON {schema}.outbox
        FOR EACH STATEMENT EXECUTE FUNCTION {schema}.outbox_notify()""",
        f"""
        CREATE TABLE {schema}.inbox (
            event_id      uuid PRIMARY KEY,
            message_type  text NOT NULL,
            received_at   timestamptz NOT NULL DEFAULT now()
        )""",
        f"""
        CREATE TABLE {schema}.dead_letter (
            id               bigserial PRIMARY KEY,
            queue            text NOT NULL,
            routing_key      text,
            event_id         text,
            reason           text NOT NULL,
            attempts         integer NOT NULL,
            body             bytea NOT NULL,
            dead_lettered_at timestamptz NOT NULL DEFAULT now()
        )""",
    ]


def create_messaging_tables(schema: str) -> None:
    """Run inside an alembic migration: create the outbox, inbox and dead-letter tables in `schema`."""
    from alembic import op

    for statement in messaging_tables_ddl(schema):
        op.execute(statement)


def dead_letter_tray_ddl(schema: str) -> list[str]:
    """DDL making the dead-letter table a work tray: each dead letter is settled once (replayed after a fix, or
    discarded with a reason), and every replay or discard is kept with who did it and why."""
    return [
        f"""
        ALTER TABLE {schema}.dead_letter
            ADD COLUMN settled_at timestamptz,
            ADD COLUMN settled_by text,
            ADD COLUMN settlement text CHECK (settlement IN ('replayed', 'discarded')),
            ADD COLUMN settlement_reason text""",
        f"CREATE INDEX dead_letter_unsettled ON {schema}.dead_letter (id) WHERE settled_at IS NULL",
        f"CREATE INDEX dead_letter_event ON {schema}.dead_letter (queue, event_id)",
        f"""
        CREATE TABLE {schema}.dead_letter_action (
            id              bigserial PRIMARY KEY,
            dead_letter_id  bigint NOT NULL REFERENCES {schema}.dead_letter (id),
            action          text NOT NULL CHECK (action IN ('replayed', 'discarded')),
            acted_by        text NOT NULL,
            reason          text NOT NULL,
            acted_at        timestamptz NOT NULL DEFAULT now()
        )""",
    ]


def create_dead_letter_tray(schema: str) -> None:
    """Run inside an alembic migration: make `schema`'s dead-letter table a work tray."""
    from alembic import op

    for statement in dead_letter_tray_ddl(schema):
        op.execute(statement)


def inbox_content_ddl(schema: str) -> list[str]:
    """DDL keeping a digest of each event the inbox took, so that an event id reused with different content is
    refused and reported instead of being dropped as a duplicate; and the broker user who published each dead
    letter, so that a replay never launders a forgery."""
    return [
        f"ALTER TABLE {schema}.inbox ADD COLUMN body_sha256 bytea",
        f"ALTER TABLE {schema}.dead_letter ADD COLUMN published_by text",
    ]


def add_inbox_content_digest(schema: str) -> None:
    """Run inside an alembic migration: the inbox keeps each event's digest."""
    from alembic import op

    for statement in inbox_content_ddl(schema):
        op.execute(statement)
