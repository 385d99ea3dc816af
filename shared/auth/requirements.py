"""What a route requires of whoever calls it: `requires(*roles)` as a FastAPI dependency.

Every route of every service declares it (or `public(reason)` for the few that authenticate otherwise, such as
the breathing space signed intake); `assert_every_route_is_protected` refuses to serve an app with a route that
declares neither, so a new route cannot be left open by forgetting.

The token comes from `Authorization: Bearer` or, for server-rendered pages, from the browser session cookie of
`shared.auth.browser_sign_in`. A state-changing request authenticated by cookie must come from the app's own pages
(its Origin), which with SameSite=Lax cookies closes cross-site request forgery.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.principal import Principal, Role
from shared.auth.session_cookie import session_token
from shared.auth.settings import AuthSettings, auth_settings_from_environment
from shared.auth.tokens import ProviderUnavailable, TokenRefused, TokenVerifier

UNPROTECTED_PATHS = frozenset(
    {"/healthz", "/readyz", "/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_verifiers: dict[tuple[str | None, str], TokenVerifier] = {}

# Declares the scheme in every service's OpenAPI document (a JWT from the council's identity provider); the token
# itself is read and verified below, so a missing header is this module's 401 with its reason, not FastAPI's.
BEARER = HTTPBearer(
    bearerFormat="JWT",
    scheme_name="councilIdentityProvider",
    description="An OpenID Connect access token for audience urn:council-debt:api (people: authorization code "
    "with PKCE; council systems: client credentials). Roles come from its `roles` claim.",
    auto_error=False,
)


def auth_settings_of(request: Request) -> AuthSettings:
    """The app's auth settings (set by bootstrap or a test on `app.state.auth_settings`), else the environment's."""
    settings = getattr(request.app.state, "auth_settings", None)
    return settings if isinstance(settings, AuthSettings) else auth_settings_from_environment()


def token_verifier_of(request: Request) -> TokenVerifier:
    """One verifier (and one key cache) per provider and audience in the process."""
    settings = auth_settings_of(request)
    key = (settings.auth_issuer, settings.auth_audience)
    if key not in _verifiers:
        _verifiers[key] = TokenVerifier(settings)
    return _verifiers[key]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _unauthenticated(reason: str) -> HTTPException:
    return HTTPException(
        401, detail={"reason": reason}, headers={"WWW-Authenticate": 'Bearer realm="council-debt"'}
    )


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    own = f"{request.url.scheme}://{request.url.netloc}"
    public = auth_settings_of(request).auth_public_base_url
    return any(origin == base or origin.startswith(base + "/") for base in filter(None, (own, public)))


async def authenticated_principal(request: Request) -> Principal:
    """The verified principal of the request (401 when there is none or it cannot be trusted)."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = bearer_token(request)
    from_cookie = False
    if token is None:
        token = session_token(request, auth_settings_of(request))
        from_cookie = token is not None
    if token is None:
        raise _unauthenticated("sign in: this needs a bearer token from the council's identity provider")
    if from_cookie and request.method not in SAFE_METHODS and not _same_origin(request):
        raise HTTPException(
            403, detail={"reason": "a change made with a session cookie must come from this site"}
        )
    try:
        principal = await token_verifier_of(request).principal(token)
    except TokenRefused as refused:
        raise _unauthenticated(refused.reason) from None
    except ProviderUnavailable as unavailable:
        raise HTTPException(503, detail={"reason": str(unavailable)}, headers={"Retry-After": "5"}) from None
    request.state.principal = principal
    return principal


def requires(*roles: Role | str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that gives the route its principal, holding at least one of `roles` (403 otherwise)."""
    if not roles:
        raise ValueError(
            "requires() needs at least one role: a route open to anyone signed in names them all"
        )
    wanted = tuple(str(role) for role in roles)

    async def principal_with_role(
        request: Request, _declared: HTTPAuthorizationCredentials | None = Depends(BEARER)
    ) -> Principal:
        principal = await authenticated_principal(request)
        if not principal.holds_any(wanted):
            raise HTTPException(
                403,
                detail={
                    "reason": f"{principal.recorded_as} holds none of the roles this needs: {', '.join(wanted)}"
                },
            )
        return principal

    principal_with_role.required_roles = wanted  # type: ignore[attr-defined]
    return principal_with_role


def public(reason: str) -> Callable[[], None]:
    """Marks a route that authenticates by other means (`reason` says how), so the route check accepts it."""

    def authenticated_otherwise() -> None:
        return None

    authenticated_otherwise.public_because = reason  # type: ignore[attr-defined]
    return authenticated_otherwise


def routes_of(app: Any) -> Iterator[Any]:
    """Every API route the app serves, through included routers (FastAPI includes them lazily), each with the
    dependencies its routers add."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def _dependency_calls(route: Any) -> Iterable[Any]:
    dependant = getattr(route, "dependant", None) or getattr(route.original_route, "dependant", None)
    pending = [dependant] if dependant is not None else []
    for declared in getattr(route, "dependencies", None) or ():
        yield declared.dependency
    while pending:
        current = pending.pop()
        if current.call is not None:
            yield current.call
        pending.extend(current.dependencies)


def route_protection(route: Any) -> tuple[str, ...] | str | None:
    """The roles a route requires, the reason it is public, or None when it declares neither."""
    for call in _dependency_calls(route):
        if hasattr(call, "required_roles"):
            roles: tuple[str, ...] = call.required_roles
            return roles
        if hasattr(call, "public_because"):
            reason: str = call.public_because
            return reason
    return None


def unprotected_routes(app: Any) -> list[str]:
    """'METHOD /path' of every route of `app` that neither requires a role nor is declared public."""
    open_routes: list[str] = []
    for route in routes_of(app):
        if route.path in UNPROTECTED_PATHS:
            continue
        if route_protection(route) is None:
            open_routes.extend(f"{method} {route.path}" for method in sorted(route.methods or ()))
    return open_routes


def assert_every_route_is_protected(app: Any) -> None:
    """Refuse to serve an app with a route that nobody decided who may call."""
    open_routes = unprotected_routes(app)
    if open_routes:
        raise RuntimeError("routes with no role required and not declared public: " + ", ".join(open_routes))
