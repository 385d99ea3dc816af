"""Real tokens from the test session's identity provider (deploy/local/identity_provider.py), for tests.

`officer_headers("revenues.officer")` signs a demo person in exactly as a browser would (authorization code with
PKCE, through the provider's sign-in form) and returns the Authorization header; `system_headers()` is a council
system's client-credentials token. Tokens are cached per person for the session (they live an hour).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from deploy.local import identity_provider

DEMO_PASSWORD = identity_provider.DEMO_PASSWORD


def _issuer() -> str:
    issuer = os.environ.get("AUTH_ISSUER")
    if not issuer:
        raise RuntimeError("no identity provider: the test session sets AUTH_ISSUER (tests/conftest.py)")
    return issuer.rstrip("/")


def _secret(client: str) -> str:
    secrets_file = os.environ.get("AUTH_CLIENTS_FILE")
    if not secrets_file:
        raise RuntimeError("no AUTH_CLIENTS_FILE: the test session sets it (tests/conftest.py)")
    return str(json.loads(Path(secrets_file).read_text())[client])


def sign_in(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """The provider's token response for `username`, through the real sign-in form."""
    return identity_provider.sign_in(_issuer(), _secret(identity_provider.TEST_CLIENT), username, password)


@cache
def officer_token(username: str) -> str:
    """A demo person's access token (cached for the session)."""
    return sign_in(username)["access_token"]


def officer_headers(username: str) -> dict[str, str]:
    """`{"Authorization": "Bearer ..."}` for a demo person (see deploy/identity_provider/demo_people.yaml)."""
    return {"Authorization": f"Bearer {officer_token(username)}"}


@cache
def system_token(client: str = "council-systems") -> str:
    """A machine client's client-credentials access token (cached for the session)."""
    return identity_provider.client_credentials_token(_issuer(), client, _secret(client))


def system_headers(client: str = "council-systems") -> dict[str, str]:
    """`{"Authorization": "Bearer ..."}` for a council system (role council_system)."""
    return {"Authorization": f"Bearer {system_token(client)}"}


BUDGET_HOLDER = "operations.budget.holder"
"""A budget holder and nothing else (role `budget_holder_operations`, RBWM's Operations directorate): reads and
decides that directorate's budget-holder review where billing's policy names the role."""
