"""Where the daily print batch goes, how it renders, and how long letters are kept (issue 16).

Read from the environment with the RECOVERY_LETTERS_ prefix, e.g. RECOVERY_LETTERS_PRINT_FOLDER=/srv/print.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class LetterSettings(BaseSettings):
    """The print batch's destination and the letters' retention rule."""

    model_config = SettingsConfigDict(env_prefix="RECOVERY_LETTERS_", env_file=".env", extra="ignore")

    print_folder: Path = Path("var/print")
    """Each print run's file is written here (a folder the hybrid-mail provider collects from, or a mount)."""
    render_workers: int = 2
    """Processes rendering PDFs in a print run (the machine's cores; layout is CPU-bound)."""
    render_batch_size: int = 200
    """Letters rendered and stored per transaction: a failure part-way keeps what was stored."""
    retention_years: int = 6
    """Letters are kept this many years after the case's last recovery action (NELC 3.3, RBWM 3, Sundry 6.15)."""
    duplex: bool = True
    """Printed on both sides: the manifest counts sheets as pages halved, rounded up."""
