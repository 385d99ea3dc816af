"""An officer can take in a notification file by hand (signed by the Insolvency Service, as in the watched
folder) and read the status page from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.integration.breathing_space.council import a_moratorium_reference, a_person, notification

PROJECT = Path(__file__).resolve().parents[3]


def council_debt(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deploy.cli", "breathing-space", *arguments],
        cwd=PROJECT,
        env={**os.environ, "BUSINESS_DATE": "2026-05-10"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def signed_by_the_insolvency_service(document: Path) -> None:
    """`sign FILE > FILE.signature`, as the sender does beside every file it drops."""
    signing = council_debt("sign", str(document))
    assert signing.returncode == 0, signing.stderr
    document.with_name(document.name + ".signature").write_text(signing.stdout)


def test_a_file_taken_in_by_hand_shows_on_the_status_page(tmp_path: Path) -> None:
    moratorium = a_moratorium_reference()
    document = tmp_path / "notice.json"
    document.write_bytes(
        notification(
            "new_mental_health_crisis_breathing_space",
            moratorium,
            a_person(),
            [("CT-HAND-1", "council_tax", 100)],
            start_date=date(2026, 5, 1),
        )
    )
    signed_by_the_insolvency_service(document)
    taken = council_debt("take-in", str(document))
    assert taken.returncode == 0, taken.stderr
    assert json.loads(taken.stdout)["outcome"] == "accepted"
    again = council_debt("take-in", str(document))
    assert json.loads(again.stdout)["outcome"] == "duplicate"

    shown = council_debt("status")
    assert shown.returncode == 0, shown.stderr
    [moratorium_shown] = [
        m for m in json.loads(shown.stdout)["open_moratoria"] if m["moratorium_reference"] == moratorium
    ]
    assert moratorium_shown["kind"] == "mental_health_crisis" and moratorium_shown["end_date"] is None


def test_a_malformed_file_taken_in_by_hand_is_refused_with_the_reason(tmp_path: Path) -> None:
    document = tmp_path / "broken.json"
    document.write_text('{"schema_version": "2"}')
    signed_by_the_insolvency_service(document)
    refused = council_debt("take-in", str(document))
    assert refused.returncode == 1
    assert "unsupported schema_version '2'" in json.loads(refused.stdout)["reason"]


def test_an_unsigned_file_taken_in_by_hand_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    moratorium = a_moratorium_reference()
    document = tmp_path / "notice.json"
    document.write_bytes(
        notification(
            "new_standard_breathing_space",
            moratorium,
            a_person(),
            [("CT-HAND-2", "council_tax", 100)],
            start_date=date(2026, 5, 1),
        )
    )
    refused = council_debt("take-in", str(document))
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["reason"].startswith("not authenticated: missing header(s)")
    shown = json.loads(council_debt("status").stdout)
    assert moratorium not in {m["moratorium_reference"] for m in shown["open_moratoria"]}
