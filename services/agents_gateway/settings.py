"""The gateway's own settings, from the environment (prefix AGENTS_GATEWAY_), with defaults that run locally."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

_SERVICE_DIR = Path(__file__).parent
_REPOSITORY = _SERVICE_DIR.parents[1]


class AgentsGatewaySettings(BaseSettings):
    """Where the agent registry and its secrets are, and how often the gateway works."""

    model_config = SettingsConfigDict(env_prefix="AGENTS_GATEWAY_", env_file=".env", extra="ignore")

    registry_path: Path = _SERVICE_DIR / "config" / "development_agents.yaml"
    """The YAML registry of agents (see config/development_agents.yaml)."""
    secrets_dir: Path | None = _REPOSITORY / "var" / "agents_gateway" / "secrets"
    """Relative `{file: ...}` secrets in the registry are read from here (None: the registry's own folder)."""
    generate_development_keys: bool = True
    """When the secrets folder lacks the development keys, generate them (never for production registries)."""
    schedule_check_seconds: int = 30
    """How often the scheduler looks whether an agent's placement/amendment batch time has come."""
    urgent_check_milliseconds: int = 500
    """How often waiting holds and recalls are looked for (they are also sent as soon as they are recorded)."""
    poll_agents: bool = True
    """Poll every agent's outbox on its schedule (switched off by tests that drive polling themselves)."""
    send_on_schedule: bool = True
    liability_order_court: str = "Magistrates' Court"
    """The court named on liability orders in placements (the referral carries the order's reference and date)."""
    sftp_timeout_seconds: int = 30
    max_file_bytes: int = 256 * 1024 * 1024
    """The largest file read from an agent unless its registry entry says otherwise (the 100,000-record return
    file of the benchmark is about 1 MB encrypted); a bigger one is quarantined unread."""
    quarantine_dir: Path = _REPOSITORY / "var" / "agents_gateway" / "quarantine"
    """Where a file too large to keep in the database is kept, streamed to disk, named by its SHA-256."""
