"""After a print run the CLI says where the file was delivered: the provider's SFTP drop when the print batch is
configured to upload there (the local file is then only the council's copy), else the print folder (issue 16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services.recovery.print_batch import PrintRunSummary

NAME = "derby-letters-2026-05-02-01.zip"


def test_a_file_uploaded_to_the_providers_sftp_server_is_said_to_be_delivered_there() -> None:
    summary = PrintRunSummary(
        "derby",
        date(2026, 5, 2),
        file=Path("/var/print") / NAME,
        destination="sftp://council@print.example.net:22/drop",
        sha256="ab" * 32,
    )
    said = summary.delivered()
    assert said.startswith(f"delivered to sftp://council@print.example.net:22/drop/{NAME}")
    assert f"local copy /var/print/{NAME}" in said and "ab" * 32 in said


def test_a_file_written_to_the_print_folder_is_said_to_be_there() -> None:
    summary = PrintRunSummary(
        "derby", date(2026, 5, 2), file=Path("/var/print") / NAME, destination="/var/print", sha256="cd" * 32
    )
    assert summary.delivered() == f"/var/print/{NAME} (sha256 {'cd' * 32})"
    assert "sftp" not in summary.delivered()


def test_a_run_with_nothing_to_print_says_so() -> None:
    assert PrintRunSummary("derby", date(2026, 5, 2)).delivered() == "no file: nothing to print"
