"""No deployed configuration runs with a development default: outside development the service refuses to start
(a clear message, exit status 2) with the demo approvers, no session secret, or a published one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.writeoff.approvers import hash_password
from services.writeoff.bootstrap import bootstrap
from services.writeoff.settings import DEMO_APPROVERS_FILE, UnsafeConfiguration, WriteOffSettings

A_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-deployed"
REPOSITORY = Path(__file__).resolve().parents[3]


def own_approvers(tmp_path: Path) -> Path:
    path = tmp_path / "approvers.yaml"
    path.write_text(
        "approvers:\n"
        "  - person_id: derby.head\n"
        "    council: derby\n"
        "    roles: [head_of_business_support]\n"
        f"    password_scrypt: '{hash_password('a council password')}'\n",
        encoding="utf-8",
    )
    return path


def refusal(**settings: object) -> str:
    with pytest.raises(UnsafeConfiguration) as refused:
        bootstrap(WriteOffSettings(environment="production", **settings))  # type: ignore[arg-type]
    return str(refused.value)


def test_production_refuses_the_demo_approvers(tmp_path: Path) -> None:
    assert "WRITEOFF_APPROVERS_FILE is the demo directory" in refusal(session_secret=A_SECRET)


def test_production_refuses_a_copy_of_the_demo_approvers(tmp_path: Path) -> None:
    copy = tmp_path / "approvers.yaml"
    copy.write_text(DEMO_APPROVERS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert "holds demo passwords" in refusal(approvers_file=copy, session_secret=A_SECRET)


def test_production_refuses_a_missing_session_secret(tmp_path: Path) -> None:
    assert "WRITEOFF_SESSION_SECRET is not set" in refusal(approvers_file=own_approvers(tmp_path))


@pytest.mark.parametrize("published", ["CHANGE-ME-at-least-32-random-bytes", "benchmark-" + "k" * 32])
def test_production_refuses_a_published_session_secret(tmp_path: Path, published: str) -> None:
    message = refusal(approvers_file=own_approvers(tmp_path), session_secret=published)
    assert "WRITEOFF_SESSION_SECRET is a published example value" in message


def test_production_refuses_a_short_session_secret(tmp_path: Path) -> None:
    message = refusal(approvers_file=own_approvers(tmp_path), session_secret="short-secret")
    assert "shorter than 32 bytes" in message


def test_every_problem_is_named_at_once() -> None:
    message = refusal()
    assert "demo directory" in message and "not set" in message


def test_production_starts_with_the_councils_own_directory_and_secret(tmp_path: Path) -> None:
    service = bootstrap(
        WriteOffSettings(
            environment="production", approvers_file=own_approvers(tmp_path), session_secret=A_SECRET
        )
    )
    assert service.directory.get("derby.head") is not None


def test_development_keeps_its_defaults() -> None:
    assert bootstrap(WriteOffSettings()).settings.environment == "development"


def test_the_service_process_exits_with_status_2_and_says_why() -> None:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("WRITEOFF_")} | {
        "WRITEOFF_ENVIRONMENT": "production"
    }
    finished = subprocess.run(
        [sys.executable, "-m", "services.writeoff"],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "will not start with WRITEOFF_ENVIRONMENT=production" in finished.stderr
    assert "WRITEOFF_SESSION_SECRET is not set" in finished.stderr
