"""Who may call the platform's HTTP routes: OpenID Connect access tokens from the council's identity provider.

- `requires(*roles)`: a FastAPI dependency giving a route its verified `Principal` (401 without a trusted token,
  403 without one of the roles). Who acted is always the principal, never a field of the request body.
- `public(reason)`: for the few routes that authenticate otherwise (the breathing space signed intake).
- `include_browser_sign_in(app)`: authorization code + PKCE sign-in for server-rendered pages.
- `assert_every_route_is_protected(app)`: the runtime refuses to serve a route that declares neither.
"""

from shared.auth.browser_sign_in import include_browser_sign_in
from shared.auth.principal import Principal, Role
from shared.auth.requirements import (
    assert_every_route_is_protected,
    authenticated_principal,
    public,
    requires,
    unprotected_routes,
)
from shared.auth.settings import AuthSettings
from shared.auth.tokens import TokenRefused, TokenVerifier

__all__ = [
    "AuthSettings",
    "Principal",
    "Role",
    "TokenRefused",
    "TokenVerifier",
    "assert_every_route_is_protected",
    "authenticated_principal",
    "include_browser_sign_in",
    "public",
    "requires",
    "unprotected_routes",
]
