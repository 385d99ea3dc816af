"""The local OpenID Connect provider (deploy/identity_provider/provider.mjs): its configuration, start and stop.

`run-system` and the test session start it beside RabbitMQ and PostgreSQL, so every HTTP call is made with a real
token from a real authorization server. Its demo people are `deploy/identity_provider/demo_people.yaml` and the
write-off approvers of `services/writeoff/approvers.demo.yaml`; its clients are the workbench and the approvals
pages (authorization code with PKCE, any loopback port), the test and demo client (the same flow, driven by
`tests/identity.py`) and the council systems' client (client credentials).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_FOLDER = PROJECT_ROOT / "deploy" / "identity_provider"
DEMO_PASSWORD = "demo-password"
AUDIENCE = "urn:council-debt:api"
SCOPE = "council-debt"

# First-party clients and the roles of the machine clients. Secrets are made per profile (clients.json).
BROWSER_CLIENTS = {
    "workbench": ["http://127.0.0.1:8106/signed-in", "http://localhost:8106/signed-in"],
    "writeoff-approvals": ["http://127.0.0.1:8105/signed-in", "http://localhost:8105/signed-in"],
    "council-debt-tests": ["http://127.0.0.1:1/signed-in"],
}
SYSTEM_CLIENTS = {
    "council-systems": ["council_system"],
    "monitoring": ["monitoring"],
}


def demo_people() -> list[dict[str, Any]]:
    """Every demo person with their roles (and council, for the write-off approvers)."""
    platform = yaml.safe_load((PROVIDER_FOLDER / "demo_people.yaml").read_text())["people"]
    people = [
        {
            "username": p["username"],
            "name": p["name"],
            "email": f"{p['username']}@demo-council.gov.uk",
            "roles": list(p.get("roles", [])),
            "council": p.get("council"),
        }
        for p in platform
    ]
    approvers_file = PROJECT_ROOT / "services" / "writeoff" / "approvers.demo.yaml"
    if approvers_file.exists():
        for approver in yaml.safe_load(approvers_file.read_text()).get("approvers", []):
            people.append(
                {
                    "username": approver["person_id"],
                    "name": approver["name"],
                    "email": f"{approver['person_id']}@demo-council.gov.uk",
                    "roles": list(approver.get("roles", [])),
                    "council": approver.get("council"),
                }
            )
    for person in people:
        person["password"] = DEMO_PASSWORD
    return people


def client_secrets(folder: Path) -> dict[str, str]:
    """Each client's secret for this profile, made once and kept (services and tests read it from here)."""
    path = folder / "identity-clients.json"
    if path.exists():
        known: dict[str, str] = json.loads(path.read_text())
    else:
        known = {}
    for client in (*BROWSER_CLIENTS, *SYSTEM_CLIENTS):
        known.setdefault(client, secrets.token_urlsafe(24))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=2))
    path.chmod(0o600)
    return known


def provider_config(folder: Path, port: int) -> dict[str, Any]:
    """The configuration provider.mjs reads."""
    issuer = f"http://127.0.0.1:{port}"
    known = client_secrets(folder)
    clients: list[dict[str, Any]] = [
        {
            "client_id": client,
            "client_secret": known[client],
            "client_name": client,
            "redirect_uris": uris,
            "post_logout_redirect_uris": [uri.replace("/signed-in", "/signed-out") for uri in uris],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            "loopback_any_port": True,
        }
        for client, uris in BROWSER_CLIENTS.items()
    ]
    clients += [
        {
            "client_id": client,
            "client_secret": known[client],
            "client_name": client,
            "redirect_uris": [],
            "grant_types": ["client_credentials"],
            "response_types": [],
            "token_endpoint_auth_method": "client_secret_basic",
            "roles": roles,
        }
        for client, roles in SYSTEM_CLIENTS.items()
    ]
    return {
        "issuer": issuer,
        "port": port,
        "audience": AUDIENCE,
        "scope": SCOPE,
        "council_name": "Demo Council",
        "cookie_secret": secrets.token_urlsafe(32),
        "keys_file": str(folder / "identity-signing-keys.json"),
        "clients": clients,
        "people": demo_people(),
    }


def node_binary() -> str:
    """The Node.js the provider's package.json installs (22 LTS), else the machine's."""
    bundled = PROVIDER_FOLDER / "node_modules" / ".bin" / "node"
    return str(bundled) if bundled.exists() else (shutil.which("node") or "node")


def install() -> None:
    """`npm ci` the provider when its packages are absent (the bootstrap does this too)."""
    if (PROVIDER_FOLDER / "node_modules" / "oidc-provider").exists():
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(PROVIDER_FOLDER)],
        check=True,
        capture_output=True,
    )


def _answers(issuer: str) -> bool:
    import httpx

    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1.0).status_code == 200
    return False


def start(folder: Path, port: int, *, timeout: float = 30.0) -> str:
    """Start the provider for a profile folder on `port` (unless it already answers); returns its issuer."""
    issuer = f"http://127.0.0.1:{port}"
    if _answers(issuer):
        return issuer
    install()
    folder.mkdir(parents=True, exist_ok=True)
    config_file = folder / "identity-provider.json"
    config_file.write_text(json.dumps(provider_config(folder, port), indent=2))
    config_file.chmod(0o600)
    log = (folder / "identity-provider.log").open("ab")
    process = subprocess.Popen(
        [node_binary(), str(PROVIDER_FOLDER / "provider.mjs"), str(config_file)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "NODE_ENV": "production"},
    )
    (folder / "identity-provider.pid").write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (folder / "identity-provider.log").read_text()[-2000:]
            raise RuntimeError(f"the identity provider stopped at start:\n{tail}")
        if _answers(issuer):
            return issuer
        time.sleep(0.2)
    raise RuntimeError(f"the identity provider did not answer at {issuer} within {timeout:.0f}s")


def stop(folder: Path) -> None:
    """Stop the provider of a profile folder if it runs."""
    pid_file = folder / "identity-provider.pid"
    if not pid_file.exists():
        return
    with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
        os.killpg(int(pid_file.read_text().strip()), signal.SIGTERM)
    pid_file.unlink(missing_ok=True)


TEST_CLIENT = "council-debt-tests"
TEST_REDIRECT_URI = "http://127.0.0.1:1/signed-in"


def _discovery(issuer: str) -> dict[str, str]:
    import httpx

    document: dict[str, str] = httpx.get(
        f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=10
    ).json()
    return document


def sign_in(issuer: str, client_secret: str, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """The provider's token response for a demo person, through its real sign-in form: the authorization code
    flow with PKCE, as a browser does it (client `council-debt-tests`)."""
    import base64
    import hashlib
    from urllib.parse import parse_qs, urljoin, urlparse

    import httpx

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    document = _discovery(issuer)
    with httpx.Client(timeout=10, follow_redirects=False) as browser:
        answer = browser.get(
            document["authorization_endpoint"],
            params={
                "client_id": TEST_CLIENT,
                "response_type": "code",
                "redirect_uri": TEST_REDIRECT_URI,
                "scope": f"openid profile email {SCOPE}",
                "state": secrets.token_urlsafe(16),
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "resource": AUDIENCE,
            },
        )
        location = urljoin(issuer, answer.headers["location"])
        browser.get(location)  # the sign-in form
        answer = browser.post(f"{location}/login", data={"login": username, "password": password})
        while answer.status_code in (302, 303) and not answer.headers["location"].startswith(
            TEST_REDIRECT_URI
        ):
            answer = browser.get(urljoin(issuer, answer.headers["location"]))
        if answer.status_code not in (302, 303):
            raise RuntimeError(f"{username} could not sign in: {answer.status_code}")
        code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
        tokens = browser.post(
            document["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": TEST_REDIRECT_URI,
                "code_verifier": verifier,
                "resource": AUDIENCE,
            },
            auth=(TEST_CLIENT, client_secret),
        )
        tokens.raise_for_status()
        response: dict[str, str] = tokens.json()
        return response


def client_credentials_token(issuer: str, client: str, client_secret: str) -> str:
    """A machine client's access token (client credentials grant)."""
    import httpx

    answer = httpx.post(
        _discovery(issuer)["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": SCOPE, "resource": AUDIENCE},
        auth=(client, client_secret),
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def environment(folder: Path, issuer: str) -> dict[str, str]:
    """What a service, the workbench or a test needs in its environment to use this provider."""
    return {
        "AUTH_ISSUER": issuer,
        "AUTH_AUDIENCE": AUDIENCE,
        "AUTH_CLIENTS_FILE": str(folder / "identity-clients.json"),
    }
