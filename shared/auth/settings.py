"""Where the council's identity provider is and how its tokens are read. Environment variables of the same name
in upper case (AUTH_ISSUER, AUTH_AUDIENCE, ...)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseSettings):
    """The identity provider every HTTP route trusts. Without an issuer nothing is trusted: every protected
    route answers 401, so a service that was not told where its provider is stays closed, never open."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    auth_issuer: str | None = None
    """The provider's issuer URL (its /.well-known/openid-configuration is read from here)."""
    auth_audience: str = "urn:council-debt:api"
    """The `aud` every access token must carry: the platform's API as registered with the provider."""
    auth_internal_issuer_url: str | None = None
    """Where this service itself reaches the provider when that differs from what browsers use (compose: the
    container's name): discovery, keys and the token endpoint are fetched there; the issuer checked in tokens and
    the sign-in page browsers are sent to stay `auth_issuer`."""
    auth_jwks_url: str | None = None
    """The signing keys' URL, when it is not the discovery document's jwks_uri."""
    auth_algorithms: list[str] = ["RS256", "PS256", "ES256"]
    auth_group_roles: dict[str, str] = {}
    """Provider group (name or object id) -> platform role. Empty: group names are taken as role names."""
    auth_leeway_seconds: int = 30
    """Clock skew allowed on `exp`, `nbf` and `iat`."""
    auth_client_id: str | None = None
    """This app's client at the provider, for browser sign-in (the workbench, the approvals pages)."""
    auth_client_secret: str | None = None
    auth_clients_file: str | None = None
    """Locally: the file where the local provider wrote each client's secret (deploy/local/identity_provider.py)."""
    auth_session_secret: str | None = None
    """Signs the browser session cookie. Set it in a deployment (the same value on every replica); locally a
    secret is derived from the client's secret."""
    auth_public_base_url: str | None = None
    """Where browsers reach this app (behind a proxy); otherwise the request's own URL."""

    def secret_of(self, client_id: str) -> str | None:
        """A client's secret: AUTH_CLIENT_SECRET for this app's own client, else the local clients file."""
        if client_id == self.auth_client_id and self.auth_client_secret:
            return self.auth_client_secret
        if self.auth_clients_file and Path(self.auth_clients_file).exists():
            secret = json.loads(Path(self.auth_clients_file).read_text()).get(client_id)
            return str(secret) if secret else None
        return None


@lru_cache(maxsize=1)
def auth_settings_from_environment() -> AuthSettings:
    """The process's settings, read once (tests that change the provider set them on the app instead)."""
    return AuthSettings()
