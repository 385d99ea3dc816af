"""The browser session: the signed-in person's access token in a signed, HttpOnly, SameSite=Lax cookie.

The cookie holds only what the provider issued (the access token and the id token for signing out); it is signed
so it cannot be swapped for another value, and every request still verifies the access token itself, so an
expired or revoked token ends the session whatever the cookie says.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from shared.auth.settings import AuthSettings

SESSION_COOKIE = "council_debt_session"
SIGN_IN_COOKIE = "council_debt_sign_in"
SESSION_SECONDS = 8 * 3600
SIGN_IN_SECONDS = 600


def _signer(settings: AuthSettings, purpose: str) -> URLSafeTimedSerializer | None:
    secret = settings.auth_session_secret
    if not secret and settings.auth_client_id:
        client_secret = settings.secret_of(settings.auth_client_id)
        if client_secret:  # locally: derived, so restarting an app keeps its sessions
            secret = hashlib.sha256(f"session:{client_secret}".encode()).hexdigest()
    return URLSafeTimedSerializer(secret, salt=f"council-debt-{purpose}") if secret else None


def read_cookie(
    request: Request, settings: AuthSettings, name: str, purpose: str, max_age: int
) -> dict[str, Any] | None:
    """A signed cookie's content, or None when absent, tampered with or too old."""
    signer = _signer(settings, purpose)
    value = request.cookies.get(name)
    if signer is None or not value:
        return None
    try:
        content = signer.loads(value, max_age=max_age)
    except BadSignature:
        return None
    return content if isinstance(content, dict) else None


def write_cookie(
    response: Response,
    request: Request,
    settings: AuthSettings,
    name: str,
    purpose: str,
    content: dict[str, Any],
    max_age: int,
) -> None:
    """Set a signed cookie (Secure whenever the app is reached over HTTPS)."""
    signer = _signer(settings, purpose)
    if signer is None:
        raise RuntimeError("browser sign-in needs AUTH_SESSION_SECRET or this app's client secret")
    secure = request.url.scheme == "https" or (settings.auth_public_base_url or "").startswith("https://")
    response.set_cookie(
        name, signer.dumps(content), max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/"
    )


def session_token(request: Request, settings: AuthSettings) -> str | None:
    """The access token of the browser session, if the request carries a valid session cookie."""
    session = read_cookie(request, settings, SESSION_COOKIE, "session", SESSION_SECONDS)
    token = session.get("access_token") if session else None
    return str(token) if token else None
