"""Recovery's own settings: which council's policies apply, and how the daily run works through its cases.

Read from the environment with the RECOVERY_ prefix (RECOVERY_COUNCIL=nelc, RECOVERY_POLICY_DIRECTORY=...).
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

POLICIES_DIRECTORY = Path(__file__).resolve().parent / "policies"


class RecoverySettings(BaseSettings):
    """Which council this deployment recovers for, and the daily run's batch size."""

    model_config = SettingsConfigDict(env_prefix="RECOVERY_", env_file=".env", extra="ignore")

    council: str = "derby"
    """The council whose policy file applies (its `council:` value, e.g. derby, nelc, rbwm)."""
    policy_directory: Path = POLICIES_DIRECTORY
    """Every `*.yaml` here is loaded and validated at start-up; one inconsistent file refuses start-up."""
    daily_run_batch_size: int = 2000
    """Cases the daily run takes per transaction."""
    daily_run_workers: int = 3
    """Batches the daily run works on at once (one computing while another waits on the database)."""
    policy_groups_by_income_code: dict[str, str] = {}
    """Which special group's policy a debt follows, by the income code it was raised to (RBWM 7b-g), e.g.
    RECOVERY_POLICY_GROUPS_BY_INCOME_CODE='{"ALLOT01": "allotments", "HALL01": "hall_hire"}'."""
    arrangement_grace_days: int = 5
    """Days after an arrangement instalment's due date before a shortfall counts as a default."""
    court_results_folder: Path | None = None
    """Where the council puts court results files (COURT_RESULTS.md); unset: only the HTTP upload takes them."""
    court_results_poll_seconds: float = 5.0
    """How often the court results folder is looked at."""
    referral_recheck_days: int = 7
    """When a due agent referral may not go ahead (e.g. another debt is in breathing space), look again after."""
