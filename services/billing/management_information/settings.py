"""Where the management information policy comes from: MANAGEMENT_INFORMATION_POLICY_FILE (default: the shipped
`default_policy.yaml`) and MANAGEMENT_INFORMATION_COUNCIL, the council entry in it this billing serves."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from services.billing.management_information.policy import (
    DEFAULT_POLICY_PATH,
    ManagementInformationPolicy,
    policy_from_yaml,
)


class ManagementInformationSettings(BaseSettings):
    """The policy file and the council chosen in it."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    management_information_policy_file: Path = DEFAULT_POLICY_PATH
    management_information_council: str = "derby"

    def policy(self) -> ManagementInformationPolicy:
        """The council's policy (ValueError naming what is wrong with the file, at start-up)."""
        return policy_from_yaml(
            self.management_information_policy_file.read_text(), self.management_information_council
        )
