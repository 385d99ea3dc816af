"""An id token is accepted only when the provider signed it for this client and for the sign-in that asked for it
(OpenID Connect Core 3.1.3.7: the audience is the client, and the nonce is the one this browser's sign-in sent), so an
id token captured from another sign-in cannot be replayed into a session."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth.settings import AuthSettings
from shared.auth.tokens import TokenRefused, TokenVerifier

ISSUER = "https://login.example-council.gov.uk"
PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    """The provider's published signing key, served over real HTTP as a provider would."""
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
    body = json.dumps({"keys": [{**public_jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks"
    server.shutdown()


def id_token(*, audience: str, nonce: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "priya", "aud": audience, "iat": now, "exp": now + 300, "nonce": nonce}
    return jwt.encode(claims, PROVIDER_KEY, algorithm="RS256", headers={"kid": "k1"})


def verifier(jwks_url: str) -> TokenVerifier:
    return TokenVerifier(AuthSettings(auth_issuer=ISSUER, auth_jwks_url=jwks_url))


async def test_an_id_token_for_this_client_and_this_sign_in_is_accepted(jwks_url: str) -> None:
    claims = await verifier(jwks_url).id_token_claims(
        id_token(audience="workbench", nonce="n-1"), "workbench", "n-1"
    )
    assert claims["sub"] == "priya"


async def test_an_id_token_from_another_sign_in_is_refused(jwks_url: str) -> None:
    with pytest.raises(TokenRefused, match="not issued for this sign-in"):
        await verifier(jwks_url).id_token_claims(
            id_token(audience="workbench", nonce="n-1"), "workbench", "n-2"
        )


async def test_an_id_token_issued_to_another_client_is_refused(jwks_url: str) -> None:
    with pytest.raises(TokenRefused, match="not for this API"):
        await verifier(jwks_url).id_token_claims(
            id_token(audience="writeoff-approvals", nonce="n-1"), "workbench", "n-1"
        )
