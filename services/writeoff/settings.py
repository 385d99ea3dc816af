"""The write-off service's own settings, from the environment (WRITEOFF_COUNCIL, WRITEOFF_APPROVERS_FILE,
WRITEOFF_SESSION_SECRET, ...) with defaults that work locally."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from services.writeoff.domain import BANDS_DIRECTORY

SERVICE_ROOT = Path(__file__).resolve().parent


class WriteOffSettings(BaseSettings):
    """Which council requests from recovery belong to, where the bands and the approver directory live, and
    how signed-in sessions are signed."""

    model_config = SettingsConfigDict(env_prefix="WRITEOFF_", env_file=".env", extra="ignore")

    council: str = "derby"
    """The council whose bands apply to requests from recovery (officers' requests use their own council)."""
    bands_directory: Path = BANDS_DIRECTORY
    approvers_file: Path = SERVICE_ROOT / "approvers.demo.yaml"
    """The approver directory: person id, council, roles and scrypt password hash of everyone who acts."""
    session_secret: str | None = None
    """HMAC key for session tokens; every replica must share it. Unset: a random key per process."""
    session_hours: int = 8


def writeoff_settings() -> WriteOffSettings:
    """Fresh settings from the current environment."""
    return WriteOffSettings()
