"""Access tokens verified against the provider's published signing keys.

A JWT is trusted only when its signature verifies with a key from the issuer's JWKS, its `iss` is the configured
issuer, its `aud` includes the platform's audience and it has not expired. Keys are fetched once and again only
for a key id not seen before (the provider rotated), at most every 30 seconds, so a flood of forged key ids
cannot turn into a flood of requests to the provider.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

import httpx
import jwt

from shared.auth.principal import Principal
from shared.auth.settings import AuthSettings

REFETCH_AT_MOST_EVERY_SECONDS = 30.0


class TokenRefused(Exception):
    """The token cannot be trusted; `reason` says why, in words an integrator can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(Exception):
    """The provider's keys could not be read just now: the caller should try again (503), not sign in again."""


class ProviderMetadata:
    """The issuer's discovery document, read once."""

    def __init__(self, settings: AuthSettings) -> None:
        self.settings = settings
        self._document: dict[str, Any] | None = None
        self._lock = asyncio.Lock()

    async def document(self) -> dict[str, Any]:
        """The provider's /.well-known/openid-configuration."""
        if self._document is None:
            async with self._lock:
                if self._document is None:
                    issuer = (self.settings.auth_issuer or "").rstrip("/")
                    internal = (self.settings.auth_internal_issuer_url or issuer).rstrip("/")
                    try:
                        async with httpx.AsyncClient(timeout=10.0) as client:
                            answer = await client.get(f"{internal}/.well-known/openid-configuration")
                            answer.raise_for_status()
                            document: dict[str, Any] = answer.json()
                        for server_side in ("jwks_uri", "token_endpoint", "userinfo_endpoint"):
                            if internal != issuer and str(document.get(server_side, "")).startswith(issuer):
                                document[server_side] = internal + str(document[server_side])[len(issuer) :]
                        self._document = document
                    except (httpx.HTTPError, ValueError) as error:
                        raise ProviderUnavailable(
                            f"{issuer} did not answer ({type(error).__name__})"
                        ) from None
        return self._document


class TokenVerifier:
    """Turns a bearer token into a `Principal`, or refuses it with the reason."""

    def __init__(self, settings: AuthSettings, metadata: ProviderMetadata | None = None) -> None:
        self.settings = settings
        self.metadata = metadata or ProviderMetadata(settings)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def principal(self, token: str) -> Principal:
        """The verified principal of `token`."""
        claims = await self.claims(token)
        return Principal.from_claims(claims, self.settings.auth_group_roles)

    async def claims(self, token: str, audience: str | None = None) -> dict[str, Any]:
        """The verified claims of `token`, issued for `audience` (by default this API's)."""
        audience = audience or self.settings.auth_audience
        if not self.settings.auth_issuer:
            raise TokenRefused(
                "this service has no identity provider configured (AUTH_ISSUER), so it trusts no one"
            )
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenRefused("the bearer token is not a JWT") from None
        key = await self._key(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=self.settings.auth_algorithms,
                audience=audience,
                issuer=self.settings.auth_issuer.rstrip("/"),
                leeway=self.settings.auth_leeway_seconds,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRefused("the token has expired: sign in again") from None
        except jwt.InvalidAudienceError:
            raise TokenRefused(f"the token is not for this API (audience {audience})") from None
        except jwt.InvalidIssuerError:
            raise TokenRefused("the token was issued by a provider this service does not trust") from None
        except jwt.InvalidTokenError as error:
            raise TokenRefused(f"the token is not valid: {error}") from None
        return claims

    async def id_token_claims(self, id_token: str, client_id: str, nonce: str) -> dict[str, Any]:
        """The verified claims of an OpenID Connect id token issued to `client_id` for the sign-in that sent
        `nonce`; a token replayed from another sign-in is refused."""
        claims = await self.claims(id_token, audience=client_id)
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise TokenRefused("the id token was not issued for this sign-in")
        return claims

    async def _key(self, key_id: str) -> jwt.PyJWK:
        if key_id in self._keys:
            return self._keys[key_id]
        async with self._lock:
            if (
                key_id not in self._keys
                and time.monotonic() - self._fetched_at >= REFETCH_AT_MOST_EVERY_SECONDS
            ):
                await self._fetch_keys()
        if key_id not in self._keys:
            raise TokenRefused("the token is signed with a key the provider does not publish")
        return self._keys[key_id]

    async def _fetch_keys(self) -> None:
        url = self.settings.auth_jwks_url or (await self.metadata.document())["jwks_uri"]
        try:
            async with httpx.AsyncClient(timeout=10.0) as client:
                answer = await client.get(url)
                answer.raise_for_status()
                key_set = jwt.PyJWKSet.from_dict(answer.json())
        except (httpx.HTTPError, jwt.PyJWKSetError, ValueError) as error:
            raise ProviderUnavailable(
                f"the provider's signing keys could not be read ({type(error).__name__})"
            ) from None
        self._fetched_at = time.monotonic()
        self._keys = {str(key.key_id): key for key in key_set.keys if key.key_id}
