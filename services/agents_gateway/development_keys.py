"""Keys for running the gateway on a developer's machine, generated on first run, never committed.

The development registry (config/development_agents.yaml) reads every secret from files in the secrets folder
(`var/agents_gateway/secrets/` by default, which git ignores). When those files are missing they are generated
here: the council's OpenPGP key, one OpenPGP key and one SFTP password per simulated agent, and the SSH host key
of the local agent simulator, whose public half the registry pins.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path

import asyncssh
import structlog

from services.agents_gateway.domain.openpgp import generate_key

log = structlog.get_logger("agents_gateway.development_keys")

COUNCIL_PRIVATE_KEY = "council_private.asc"


def agent_files(code: str) -> dict[str, str]:
    """The secret file names the development registry uses for one agent."""
    lowered = code.lower()
    return {
        "agent_private": f"{lowered}_agent_private.asc",
        "agent_public": f"{lowered}_agent_public.asc",
        "sftp_password": f"{lowered}_sftp_password",
        "host_private": f"{lowered}_host_key",
        "host_public": f"{lowered}_host_key.pub",
    }


def _write_secret(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def ensure_development_keys(secrets_dir: Path, agent_codes: Iterable[str], bits: int = 2048) -> list[str]:
    """Generate whichever development keys are missing from `secrets_dir`; the names of the files created."""
    secrets_dir.mkdir(parents=True, exist_ok=True)
    created: list[str] = []
    council = secrets_dir / COUNCIL_PRIVATE_KEY
    if not council.exists():
        _write_secret(
            council,
            generate_key(
                "Council (development)", "debt@council.invalid", bits
            ).private_armoured.get_secret_value(),
        )
        created.append(council.name)
    for code in agent_codes:
        names = agent_files(code)
        if not (secrets_dir / names["agent_private"]).exists():
            key = generate_key(f"{code} (development)", f"{code.lower()}@agent.invalid", bits)
            _write_secret(secrets_dir / names["agent_private"], key.private_armoured.get_secret_value())
            (secrets_dir / names["agent_public"]).write_text(key.public_armoured, encoding="utf-8")
            created.append(names["agent_private"])
        if not (secrets_dir / names["sftp_password"]).exists():
            _write_secret(secrets_dir / names["sftp_password"], secrets.token_urlsafe(24))
            created.append(names["sftp_password"])
        if not (secrets_dir / names["host_private"]).exists():
            host_key = asyncssh.generate_private_key("ssh-ed25519")
            _write_secret(secrets_dir / names["host_private"], host_key.export_private_key().decode("ascii"))
            (secrets_dir / names["host_public"]).write_text(
                host_key.export_public_key().decode("ascii"), encoding="utf-8"
            )
            created.append(names["host_private"])
    if created:
        log.info("generated development keys", folder=str(secrets_dir), files=created)
    return created
