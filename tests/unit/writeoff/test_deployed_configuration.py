"""No deployed configuration runs with a development default: outside development the service refuses to start
(a clear message, exit status 2) without the council's own identity provider over https, or without a session
cookie key of its own for the approvals pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.writeoff.bootstrap import bootstrap
from services.writeoff.settings import APPROVALS_CLIENT, UnsafeConfiguration, WriteOffSettings
from shared.auth import AuthSettings

A_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-deployed"
THE_COUNCILS_PROVIDER = "https://login.microsoftonline.com/derby-tenant/v2.0"
REPOSITORY = Path(__file__).resolve().parents[3]


def refusal(**auth: object) -> str:
    # Unset means unset, whatever the test session put in the environment.
    settings = AuthSettings(**{"auth_issuer": None, "auth_session_secret": None, **auth})  # type: ignore[arg-type]
    with pytest.raises(UnsafeConfiguration) as refused:
        bootstrap(WriteOffSettings(environment="production"), auth=settings)
    return str(refused.value)


def test_production_refuses_to_run_without_an_identity_provider() -> None:
    assert "AUTH_ISSUER is not set" in refusal(auth_session_secret=A_SECRET)


def test_production_refuses_the_local_identity_provider() -> None:
    message = refusal(auth_issuer="http://127.0.0.1:8099", auth_session_secret=A_SECRET)
    assert "is the local provider" in message


def test_production_refuses_a_session_cookie_key_derived_from_the_client_secret() -> None:
    assert "AUTH_SESSION_SECRET is not set" in refusal(auth_issuer=THE_COUNCILS_PROVIDER)


def test_every_problem_is_named_at_once() -> None:
    message = refusal()
    assert "AUTH_ISSUER is not set" in message and "AUTH_SESSION_SECRET is not set" in message


def test_production_starts_with_the_councils_own_provider_and_cookie_key() -> None:
    service = bootstrap(
        WriteOffSettings(environment="production"),
        auth=AuthSettings(auth_issuer=THE_COUNCILS_PROVIDER, auth_session_secret=A_SECRET),
    )
    assert service.runtime.http_app.state.auth_settings.auth_client_id == APPROVALS_CLIENT


def test_development_runs_with_the_local_provider() -> None:
    service = bootstrap(WriteOffSettings(), auth=AuthSettings(auth_issuer="http://127.0.0.1:8099"))
    assert service.settings.environment == "development"


def test_the_service_exits_with_status_2_and_the_reasons_outside_development() -> None:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("WRITEOFF_", "AUTH_"))
    }
    environment.update(WRITEOFF_ENVIRONMENT="production", AUTH_ISSUER="http://localhost:8099")
    finished = subprocess.run(
        [sys.executable, "-m", "services.writeoff"],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "is the local provider" in finished.stderr
    assert "AUTH_SESSION_SECRET is not set" in finished.stderr
