"""Where the daily print batch goes, how it renders, and how long letters are kept (issue 16).

Read from the environment with the RECOVERY_LETTERS_ prefix, e.g. RECOVERY_LETTERS_PRINT_FOLDER=/srv/print, or for
SFTP RECOVERY_LETTERS_PRINT_DESTINATION=sftp with RECOVERY_LETTERS_SFTP_HOST, _SFTP_PORT, _SFTP_USERNAME,
_SFTP_KEY_PATH, _SFTP_KNOWN_HOSTS and _SFTP_REMOTE_FOLDER.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class LetterSettings(BaseSettings):
    """The print batch's destination and the letters' retention rule."""

    model_config = SettingsConfigDict(env_prefix="RECOVERY_LETTERS_", env_file=".env", extra="ignore")

    print_folder: Path = Path("var/print")
    """Each print run's file is written here (a folder the hybrid-mail provider collects from, or a mount). With
    SFTP delivery the file is built here first and a copy stays here once delivered."""
    print_destination: Literal["folder", "sftp"] = "folder"
    """folder: the file is delivered by being written to `print_folder`; sftp: it is also uploaded to the
    provider's SFTP server below (temporary name, then renamed), before the print run is complete."""
    sftp_host: str = ""
    """The provider's SFTP server."""
    sftp_port: int = 22
    sftp_username: str = ""
    sftp_key_path: Path | None = None
    """The private key recovery logs in with (OpenSSH format, no passphrase; mounted as a secret)."""
    sftp_known_hosts: Path | None = None
    """An OpenSSH known_hosts file holding the server's host key: a server presenting any other key is refused
    (there is no trust on first use)."""
    sftp_remote_folder: str = "."
    """The folder on the server the file is delivered to (relative to the login folder unless it starts with /)."""
    sftp_timeout_seconds: int = 30
    """Connecting and logging in give up after this long."""
    render_workers: int = 2
    """Processes rendering PDFs in a print run (the machine's cores; layout is CPU-bound)."""
    render_batch_size: int = 200
    """Letters rendered and stored per transaction: a failure part-way keeps what was stored."""
    retention_years: int = 6
    """Letters are kept this many years after the case's last recovery action (NELC 3.3, RBWM 3, Sundry 6.15)."""
    duplex: bool = True
    """Printed on both sides: the manifest counts sheets as pages halved, rounded up."""

    @model_validator(mode="after")
    def _sftp_is_complete(self) -> LetterSettings:
        if self.print_destination == "sftp":
            missing = [
                name
                for name in ("sftp_host", "sftp_username", "sftp_key_path", "sftp_known_hosts")
                if not getattr(self, name)
            ]
            if missing:
                names = ", ".join(f"RECOVERY_LETTERS_{m.upper()}" for m in missing)
                raise ValueError(f"SFTP print delivery needs {names}")
        return self
