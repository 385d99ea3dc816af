"""The write-off service's own settings, from the environment (WRITEOFF_COUNCIL, WRITEOFF_WORKBENCH_URL, ...)
with defaults that work locally. Who may sign in is the council's identity provider's business (AUTH_*)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pydantic_settings import BaseSettings, SettingsConfigDict

from services.writeoff.domain import BANDS_DIRECTORY
from shared.auth import AuthSettings

APPROVALS_CLIENT = "writeoff-approvals"
"""The approvals pages' client at the identity provider, unless AUTH_CLIENT_ID names another."""


class WriteOffSettings(BaseSettings):
    """Which council requests from recovery belong to, where the bands live, and where the officers' workbench
    is (each debtor on a schedule links to their single view there)."""

    model_config = SettingsConfigDict(env_prefix="WRITEOFF_", env_file=".env", extra="ignore")

    council: str = "derby"
    """The council whose bands apply to requests from recovery, and of anyone whose token names no council."""
    bands_directory: Path = BANDS_DIRECTORY
    workbench_url: str = "http://127.0.0.1:8090"
    """The officers' workbench: a debtor's single view is `{workbench_url}/customers/{customer_id}`."""
    environment: str = "development"
    """`development` locally; anything else (compose and Kubernetes set `production`) refuses to start with a
    development default: no identity provider, the local one, or no session cookie secret of its own."""


class UnsafeConfiguration(RuntimeError):
    """A deployed service was configured with development defaults; the message names each one."""


def in_development(settings: WriteOffSettings) -> bool:
    """True when the settings say this is a developer's machine, where the defaults are allowed."""
    return settings.environment.strip().lower() == "development"


def development_defaults_in_use(auth: AuthSettings) -> list[str]:
    """Every development default the sign-in would run with (none is a problem in development)."""
    problems: list[str] = []
    issuer = urlparse(auth.auth_issuer or "")
    if not auth.auth_issuer:
        problems.append("AUTH_ISSUER is not set (nobody could sign in)")
    elif issuer.hostname in {"127.0.0.1", "localhost", "::1"} or issuer.scheme != "https":
        problems.append(f"AUTH_ISSUER ({auth.auth_issuer}) is the local provider, not the council's (https)")
    if not auth.auth_session_secret:
        # Locally the cookie key is derived from the client secret; a deployment sets its own on every replica.
        problems.append("AUTH_SESSION_SECRET is not set (the approvals pages' session cookie key)")
    return problems


def refuse_development_defaults(settings: WriteOffSettings, auth: AuthSettings) -> None:
    """Outside development, raise UnsafeConfiguration naming every development default in use."""
    if in_development(settings):
        return
    problems = development_defaults_in_use(auth)
    if problems:
        raise UnsafeConfiguration(
            f"the write-off service will not start with WRITEOFF_ENVIRONMENT={settings.environment}: "
            + "; ".join(problems)
        )
