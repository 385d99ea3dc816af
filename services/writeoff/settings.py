"""The write-off service's own settings, from the environment (WRITEOFF_COUNCIL, WRITEOFF_APPROVERS_FILE,
WRITEOFF_SESSION_SECRET, ...) with defaults that work locally."""

from __future__ import annotations

import re
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
    approvers_file: Path = SERVICE_ROOT / "approvers.demo.yaml"  # the demo directory: development only
    """The approver directory: person id, council, roles and scrypt password hash of everyone who acts."""
    session_secret: str | None = None
    """HMAC key for session tokens; every replica must share it. Unset: a random key per process."""
    session_hours: int = 8
    environment: str = "development"
    """`development` locally; anything else (compose and Kubernetes set `production`) refuses to start with a
    development default: the demo approvers, no session secret, or a published one."""


def writeoff_settings() -> WriteOffSettings:
    """Fresh settings from the current environment."""
    return WriteOffSettings()


DEMO_APPROVERS_FILE = SERVICE_ROOT / "approvers.demo.yaml"

# Session secrets printed in this repository (deploy examples, the benchmark): known to anyone who reads it.
PUBLISHED_SESSION_SECRETS = frozenset({"CHANGE-ME-at-least-32-random-bytes", "benchmark-" + "k" * 32})
# Secrets shorter than this are refused outside development (deploy/README.md asks for 32 random bytes).
SHORTEST_DEPLOYED_SECRET = 32


class UnsafeConfiguration(RuntimeError):
    """A deployed service was configured with development defaults; the message names each one."""


def in_development(settings: WriteOffSettings) -> bool:
    """True when the settings say this is a developer's machine, where the defaults are allowed."""
    return settings.environment.strip().lower() == "development"


def _demo_password_hashes() -> frozenset[str]:
    return frozenset(re.findall(r"scrypt\$[^\s\"']+", DEMO_APPROVERS_FILE.read_text(encoding="utf-8")))


def development_defaults_in_use(settings: WriteOffSettings) -> list[str]:
    """Every development default these settings would run with (none is a problem in development)."""
    problems: list[str] = []
    approvers = Path(settings.approvers_file)
    if approvers.resolve() == DEMO_APPROVERS_FILE.resolve():
        problems.append(f"WRITEOFF_APPROVERS_FILE is the demo directory ({DEMO_APPROVERS_FILE.name})")
    elif approvers.is_file():
        # A copy of the demo file, or one with a demo password left in, carries passwords anyone can read.
        demo = _demo_password_hashes()
        if any(
            found in demo for found in re.findall(r"scrypt\$[^\s\"']+", approvers.read_text(encoding="utf-8"))
        ):
            problems.append(f"WRITEOFF_APPROVERS_FILE ({approvers}) holds demo passwords")
    secret = settings.session_secret
    if not secret:
        problems.append("WRITEOFF_SESSION_SECRET is not set (a per-process random key would be used)")
    elif secret in PUBLISHED_SESSION_SECRETS or "change-me" in secret.lower() or "changeme" in secret.lower():
        problems.append("WRITEOFF_SESSION_SECRET is a published example value")
    elif len(secret.encode()) < SHORTEST_DEPLOYED_SECRET:
        problems.append(f"WRITEOFF_SESSION_SECRET is shorter than {SHORTEST_DEPLOYED_SECRET} bytes")
    return problems


def refuse_development_defaults(settings: WriteOffSettings) -> None:
    """Outside development, raise UnsafeConfiguration naming every development default in use."""
    if in_development(settings):
        return
    problems = development_defaults_in_use(settings)
    if problems:
        raise UnsafeConfiguration(
            f"the write-off service will not start with WRITEOFF_ENVIRONMENT={settings.environment}: "
            + "; ".join(problems)
        )
