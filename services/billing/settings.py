"""Billing's own settings: the council's billing rules file."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from services.billing.domain.billing_rules import DEFAULT_RULES_PATH


class BillingSettings(BaseSettings):
    """Billing's own settings: the council's billing rules file (YAML, see domain/default_billing_rules.yaml),
    read from BILLING_RULES_FILE."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    billing_rules_file: Path = DEFAULT_RULES_PATH
