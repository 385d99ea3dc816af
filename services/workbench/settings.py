"""The workbench's settings, read from the environment with defaults that work with `run-system`."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

HERE = Path(__file__).resolve().parent


class WorkbenchSettings(BaseSettings):
    """Where each service's HTTP API answers (WORKBENCH_BILLING_URL, WORKBENCH_RECOVERY_URL, ...) and where the
    workbench itself listens (HTTP_HOST / HTTP_PORT, as every service process)."""

    model_config = SettingsConfigDict(env_prefix="WORKBENCH_", env_file=".env", extra="ignore")

    billing_url: str = "http://127.0.0.1:8101"
    recovery_url: str = "http://127.0.0.1:8102"
    breathing_space_url: str = "http://127.0.0.1:8103"
    agents_gateway_url: str = "http://127.0.0.1:8104"
    writeoff_url: str = "http://127.0.0.1:8105"
    writeoff_pages_url: str | None = None
    """Where officers' browsers open the write-off approvals pages (a schedule is signed there); the API's
    address when unset."""
    service_timeout_seconds: float = 10.0
    """How long one call to a service may take before its part of the page says the service did not answer."""
    council_name: str = "Derby City Council"
    """Shown in the header: the workbench is the council's, not GOV.UK's (no crown, no GOV.UK logotype)."""
    assets_directory: Path = HERE / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    """GOV.UK Frontend's built CSS, JavaScript, fonts and images (npm ci in services/workbench)."""
    http_host: str = Field("127.0.0.1", validation_alias=AliasChoices("WORKBENCH_HTTP_HOST", "HTTP_HOST"))
    http_port: int = Field(8090, validation_alias=AliasChoices("WORKBENCH_HTTP_PORT", "HTTP_PORT"))
    log_level: str = Field("INFO", validation_alias=AliasChoices("WORKBENCH_LOG_LEVEL", "LOG_LEVEL"))
    log_format: str = Field("json", validation_alias=AliasChoices("WORKBENCH_LOG_FORMAT", "LOG_FORMAT"))
