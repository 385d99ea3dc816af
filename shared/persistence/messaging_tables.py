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
