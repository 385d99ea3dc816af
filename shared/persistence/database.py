"""One PostgreSQL database, one schema per service: SQLModel/SQLAlchemy sessions on asyncpg.

A service only ever opens sessions whose search_path is its own schema, so it cannot read another's tables by
accident; what it needs of another service it keeps as a projection built from events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def asyncpg_dsn(database_url: str) -> str:
    """The plain asyncpg DSN for a SQLAlchemy URL (the relay and bulk loaders talk to asyncpg directly)."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


class ServiceDatabase:
    """The service's own schema: sessions, each opened in a transaction that commits or rolls back whole."""

    def __init__(self, database_url: str, schema: str, *, pool_size: int = 16) -> None:
        self.schema = schema
        self.url = database_url
        self.engine: AsyncEngine = create_async_engine(
            database_url,
            pool_size=pool_size,
            max_overflow=pool_size,
            # No ping before each checkout: it costs three round trips per transaction (BEGIN, SELECT, ROLLBACK on
            # asyncpg), and a connection the server dropped fails its transaction, which then invalidates the whole
            # pool and is retried like any failed delivery.
            pool_pre_ping=False,
            connect_args={
                "server_settings": {
                    "search_path": f"{schema},public",
                    "application_name": schema,
                    # Short statements over a few thousand rows: JIT compiling them (0.7 s a time for a billing
                    # run's customer search) costs far more than it saves.
                    "jit": "off",
                }
            },
        )
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed when the block ends, rolled back if it raises."""
        async with self._sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
