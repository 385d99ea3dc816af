"""Real tokens from the test session's identity provider (deploy/local/identity_provider.py), for tests.

`officer_headers("revenues.officer")` signs a demo person in exactly as a browser would (authorization code with
PKCE, through the provider's sign-in form) and returns the Authorization header; `system_headers()` is a council
system's client-credentials token. Tokens are cached per person for the session (they live an hour).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx

DEMO_PASSWORD = "demo-password"
TEST_CLIENT = "council-debt-tests"
REDIRECT_URI = "http://127.0.0.1:1/signed-in"
AUDIENCE = "urn:council-debt:api"


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


@cache
def _discovery() -> dict[str, str]:
    document: dict[str, str] = httpx.get(f"{_issuer()}/.well-known/openid-configuration", timeout=10).json()
    return document


def sign_in(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """The provider's token response for `username`, through the real sign-in form."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    document = _discovery()
    with httpx.Client(timeout=10, follow_redirects=False) as browser:
        answer = browser.get(
            document["authorization_endpoint"],
            params={
                "client_id": TEST_CLIENT,
                "response_type": "code",
                "redirect_uri": REDIRECT_URI,
                "scope": "openid profile email council-debt",
                "state": secrets.token_urlsafe(16),
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "resource": AUDIENCE,
            },
        )
        location = urljoin(_issuer(), answer.headers["location"])
        browser.get(location)  # the sign-in form
        answer = browser.post(f"{location}/login", data={"login": username, "password": password})
        while answer.status_code in (302, 303) and not answer.headers["location"].startswith(REDIRECT_URI):
            answer = browser.get(urljoin(_issuer(), answer.headers["location"]))
        if answer.status_code not in (302, 303):
            raise RuntimeError(f"{username} could not sign in: {answer.status_code} {answer.text[:200]}")
        code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
        tokens = browser.post(
            document["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier,
                "resource": AUDIENCE,
            },
            auth=(TEST_CLIENT, _secret(TEST_CLIENT)),
        )
        tokens.raise_for_status()
        response: dict[str, str] = tokens.json()
        return response


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
    answer = httpx.post(
        _discovery()["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": "council-debt", "resource": AUDIENCE},
        auth=(client, _secret(client)),
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def system_headers(client: str = "council-systems") -> dict[str, str]:
    """`{"Authorization": "Bearer ..."}` for a council system (role council_system)."""
    return {"Authorization": f"Bearer {system_token(client)}"}
