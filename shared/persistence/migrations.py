"""Apply each service's migrations to its own schema. Run by command (`council-debt migrate`), never by hand.

Migrations live in `services/<service>/migrations/`; the alembic environment is shared.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")
_ENV = Path(__file__).parent / "alembic"
_SERVICES_ROOT = Path(__file__).resolve().parents[2] / "services"


def alembic_config(service: str, database_url: str) -> Config:
    """An alembic Config for one service's schema and migration folder."""
    versions = _SERVICES_ROOT / service / "migrations"
    config = Config()
    config.set_main_option("script_location", str(_ENV))
    config.set_main_option("version_locations", str(versions))
    config.set_main_option("path_separator", "os")
    config.attributes["schema"] = service
    config.attributes["database_url"] = database_url
    return config


def services_with_migrations() -> list[str]:
    """The services that have a migrations folder (all five once they exist)."""
    return [s for s in SERVICES if (_SERVICES_ROOT / s / "migrations").is_dir()]


def upgrade(database_url: str, services: list[str] | None = None) -> list[str]:
    """Bring the named services' schemas (default: all) up to their latest migration."""
    chosen = services or services_with_migrations()

    def apply() -> None:
        for service in chosen:
            command.upgrade(alembic_config(service, database_url), "heads")

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        apply()
    else:  # called from async code (a benchmark's set-up): the alembic environment needs a loop of its own
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(apply).result()
    return chosen


def new_revision(service: str, database_url: str, message: str) -> None:
    """Create an empty migration file for `service` (developers fill it in)."""
    command.revision(alembic_config(service, database_url), message=message)
