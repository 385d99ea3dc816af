"""Signing people in from the browser: OpenID Connect authorization code flow with PKCE (RFC 7636).

`include_browser_sign_in(app)` adds `/sign-in`, `/signed-in` (the provider's redirect), `/sign-out` and
`/signed-out`, and turns a 401 on a page into a redirect to sign in. The app is a confidential client
(AUTH_CLIENT_ID and its secret); the code is exchanged with the PKCE verifier and the `state` and `nonce` of this
browser's own sign-in, so a code stolen or injected from elsewhere is worthless. The access token the provider
issues is kept in the session cookie and is what `requires(...)` verifies on every request, and what the
workbench forwards to the services.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.auth.requirements import auth_settings_of, public, token_verifier_of
from shared.auth.session_cookie import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    SIGN_IN_COOKIE,
    SIGN_IN_SECONDS,
    read_cookie,
    write_cookie,
)
from shared.auth.tokens import ProviderUnavailable, TokenRefused
from shared.problem_details import problem_for_refusal

SCOPE = "openid profile email council-debt"


def _base_url(request: Request) -> str:
    configured = auth_settings_of(request).auth_public_base_url
    return (configured or f"{request.url.scheme}://{request.url.netloc}").rstrip("/")


def _local_path(value: str | None) -> str:
    # Only a path on this site: never an open redirect to somewhere else.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>",
        status_code=status,
    )


sign_in_router = APIRouter(include_in_schema=False)


@sign_in_router.get("/sign-in", dependencies=[Depends(public("starts the provider's sign-in"))])
async def sign_in(request: Request, next: str | None = None) -> Response:
    """Send the browser to the provider, remembering this sign-in's state, nonce and PKCE verifier."""
    settings = auth_settings_of(request)
    if not settings.auth_issuer or not settings.auth_client_id:
        return _page("Sign-in is not set up", "<p>This service has no identity provider configured.</p>", 503)
    try:
        document = await token_verifier_of(request).metadata.document()
    except ProviderUnavailable:
        return _page(
            "Sign-in is unavailable", "<p>The council's identity provider did not answer. Try again.</p>", 503
        )
    verifier, challenge = _pkce_pair()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query = {
        "client_id": settings.auth_client_id,
        "response_type": "code",
        "redirect_uri": f"{_base_url(request)}/signed-in",
        "scope": SCOPE,
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": settings.auth_audience,
    }
    response = RedirectResponse(f"{document['authorization_endpoint']}?{urlencode(query)}", status_code=303)
    content = {"state": state, "nonce": nonce, "verifier": verifier, "next": _local_path(next)}
    write_cookie(response, request, settings, SIGN_IN_COOKIE, "sign-in", content, SIGN_IN_SECONDS)
    return response


@sign_in_router.get(
    "/signed-in", dependencies=[Depends(public("the provider's redirect, checked by state, nonce and PKCE"))]
)
async def signed_in(
    request: Request, code: str | None = None, state: str | None = None, error: str | None = None
) -> Response:
    """Exchange the code for tokens, check them, and start the session."""
    settings = auth_settings_of(request)
    pending = read_cookie(request, settings, SIGN_IN_COOKIE, "sign-in", SIGN_IN_SECONDS)
    if error:
        return _page("You are not signed in", f"<p>The identity provider said: {error}.</p>", 400)
    if (
        not pending
        or not code
        or not state
        or not secrets.compare_digest(state, str(pending.get("state", "")))
    ):
        return _page(
            "You are not signed in", '<p>That sign-in has expired. <a href="/sign-in">Sign in</a></p>', 400
        )
    verifier = token_verifier_of(request)
    client_id = settings.auth_client_id or ""
    try:
        document = await verifier.metadata.document()
        async with httpx.AsyncClient(timeout=10.0) as client:
            answer = await client.post(
                document["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": f"{_base_url(request)}/signed-in",
                    "code_verifier": pending["verifier"],
                    "resource": settings.auth_audience,
                },
                auth=(client_id, settings.secret_of(client_id) or ""),
            )
    except (httpx.HTTPError, ProviderUnavailable):
        return _page(
            "Sign-in is unavailable", "<p>The council's identity provider did not answer. Try again.</p>", 503
        )
    if answer.status_code != 200:
        return _page(
            "You are not signed in", '<p>The sign-in was refused. <a href="/sign-in">Sign in</a></p>', 400
        )
    tokens: dict[str, Any] = answer.json()
    try:
        await verifier.id_token_claims(str(tokens.get("id_token", "")), client_id, str(pending["nonce"]))
        await verifier.principal(str(tokens["access_token"]))
    except (TokenRefused, KeyError, jwt.InvalidTokenError):
        return _page(
            "You are not signed in",
            '<p>The sign-in could not be checked. <a href="/sign-in">Sign in</a></p>',
            400,
        )
    response = RedirectResponse(_local_path(str(pending.get("next"))), status_code=303)
    session = {"access_token": tokens["access_token"], "id_token": tokens.get("id_token")}
    write_cookie(response, request, settings, SESSION_COOKIE, "session", session, SESSION_SECONDS)
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    return response


@sign_in_router.post("/sign-out", dependencies=[Depends(public("ends this browser's own session"))])
async def sign_out(request: Request) -> Response:
    """End the session here and at the provider."""
    settings = auth_settings_of(request)
    session = read_cookie(request, settings, SESSION_COOKIE, "session", SESSION_SECONDS) or {}
    target = "/signed-out"
    try:
        document = await token_verifier_of(request).metadata.document()
        if document.get("end_session_endpoint"):
            query = {
                "client_id": settings.auth_client_id or "",
                "post_logout_redirect_uri": f"{_base_url(request)}/signed-out",
            }
            if session.get("id_token"):
                query["id_token_hint"] = str(session["id_token"])
            target = f"{document['end_session_endpoint']}?{urlencode(query)}"
    except ProviderUnavailable:
        pass
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@sign_in_router.get("/signed-out", dependencies=[Depends(public("a page saying the session has ended"))])
async def signed_out() -> Response:
    """The page after signing out."""
    return _page("You have signed out", '<p><a href="/sign-in">Sign in again</a></p>')


async def _pages_sign_in_first(request: Request, exc: Exception) -> Response:
    # A person opening a page without a session is sent to sign in, then back; API callers keep their 401.
    if (
        isinstance(exc, StarletteHTTPException)
        and exc.status_code == 401
        and request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
    ):
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?{urlencode({'next': path})}", status_code=303)
    return await problem_for_refusal(request, exc)


def include_browser_sign_in(app: FastAPI) -> None:
    """Give `app` browser sign-in (its AUTH_CLIENT_ID / AUTH_CLIENT_SECRET name its client at the provider)."""
    app.include_router(sign_in_router)
    app.add_exception_handler(StarletteHTTPException, _pages_sign_in_first)
