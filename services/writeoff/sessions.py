"""Signed-in sessions: HMAC-SHA256-signed tokens issued at sign-in, presented as a Bearer token (JSON API) or
a cookie (approvals page).

A token names the person and when it expires; the signature proves this service issued it. Roles are read from
the approver directory on every request, so a token cannot carry forged authority. A missing, tampered, expired
or unknown-person token is refused with the reason.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

_VERSION = "v1"


class IdentityRefused(Exception):
    """The request carries no identity this service can trust; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class SessionClaims:
    """Who a verified token speaks for, and until when."""

    person_id: str
    issued_at: int
    expires_at: int
    session_id: str


class SessionSigner:
    """Issues and verifies session tokens with one secret key."""

    def __init__(self, secret: bytes, lifetime_seconds: int) -> None:
        if len(secret) < 16:
            raise ValueError("the session secret must be at least 16 bytes")
        self.secret = secret
        self.lifetime_seconds = lifetime_seconds

    def _signature(self, payload: str) -> str:
        return _encode(hmac.new(self.secret, f"{_VERSION}.{payload}".encode(), hashlib.sha256).digest())

    def issue(self, person_id: str, *, now: int | None = None) -> str:
        """A token for `person_id`, valid for the session lifetime."""
        issued = now if now is not None else int(time.time())  # whole seconds since the epoch
        claims = {
            "sub": person_id,
            "iat": issued,
            "exp": issued + self.lifetime_seconds,
            "sid": secrets.token_urlsafe(12),
        }
        payload = _encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
        return f"{_VERSION}.{payload}.{self._signature(payload)}"

    def verify(self, token: str | None, *, now: int | None = None) -> SessionClaims:
        """The claims of a genuine, unexpired token; IdentityRefused with the reason otherwise."""
        if not token:
            raise IdentityRefused("no identity presented: sign in first")
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != _VERSION:
            raise IdentityRefused("the session token is malformed")
        payload, signature = parts[1], parts[2]
        if not hmac.compare_digest(self._signature(payload), signature):
            raise IdentityRefused("the session token's signature does not verify: it was not issued here")
        try:
            claims = json.loads(_decode(payload))
            person_id, issued, expires = str(claims["sub"]), int(claims["iat"]), int(claims["exp"])
            session_id = str(claims["sid"])
        except (ValueError, KeyError, TypeError):
            raise IdentityRefused("the session token is malformed") from None
        if not session_id:
            # A session with no id could never be signed out.
            raise IdentityRefused("the session token is malformed")
        if (now if now is not None else int(time.time())) >= expires:
            raise IdentityRefused("the session has expired: sign in again")
        return SessionClaims(person_id, issued, expires, session_id)

    def form_token(self, session_token: str) -> str:
        """The anti-forgery value a page's forms carry, bound to the signed-in session."""
        return _encode(hmac.new(self.secret, f"form.{session_token}".encode(), hashlib.sha256).digest())
