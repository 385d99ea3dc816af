"""Where this council's breathing space service receives and sends documents, and how often it checks its work.

Read from the environment (prefix `BREATHING_SPACE_`), with defaults that work locally, by `bootstrap()` (never at
import). The business rules (period lengths, matching points, confirmation window, creditor name) are in
`breathing_space.yaml` (`rules_file`), read by `load_rules` when the service is put together.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.breathing_space.domain.settings import BreathingSpaceRules, rules_from_yaml

_HERE = Path(__file__).parent
_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")


def _seconds(value: Any) -> Any:
    # "0.5" in the environment means half a second (pydantic alone reads only ISO 8601 durations from text).
    if isinstance(value, str) and _NUMBER.match(value):
        return timedelta(milliseconds=int(Decimal(value) * 1000))
    return value


Seconds = Annotated[timedelta, BeforeValidator(_seconds)]


class BreathingSpaceSettings(BaseSettings):
    """Override any field with `BREATHING_SPACE_<FIELD>` in the environment (durations in seconds)."""

    model_config = SettingsConfigDict(env_prefix="BREATHING_SPACE_", env_file=".env", extra="ignore")

    signing_secret: SecretStr = SecretStr("local-development-secret-change-me")
    """Shared with the Insolvency Service: HMAC-SHA256 key of every notification's signature (HTTPS, queue, folder)."""
    rules_file: Path = _HERE / "breathing_space.yaml"
    inbound_folder: Path | None = None
    """Watched folder for councils that receive notifications as files (None: no folder watched)."""
    outbound_folder: Path | None = None
    """Where 'debts reported back' documents are written for the council's transfer to the Service."""
    notifications_queue: str = "breathing_space.insolvency_service.notifications"
    """RabbitMQ queue of raw notification documents fed by the council's integration (not enveloped)."""
    folder_poll_interval: Seconds = timedelta(milliseconds=500)
    expiry_check_interval: Seconds = timedelta(seconds=30)
    confirmation_check_interval: Seconds = timedelta(seconds=5)
    outbound_write_interval: Seconds = timedelta(seconds=1)
    pending_match_alert_after: Seconds = timedelta(hours=4)
    """A possible match an officer has not decided within this time is raised as an alert."""


def load_rules(settings: BreathingSpaceSettings) -> BreathingSpaceRules:
    """The council's breathing space rules from its YAML file (unknown keys refused)."""
    return rules_from_yaml(settings.rules_file.read_text())
