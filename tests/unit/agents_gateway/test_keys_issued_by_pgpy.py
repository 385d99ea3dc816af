"""Keys issued and files written by the old pgpy 0.6 code go on working after the move to pysequoia.

The fixtures in keys_made_by_pgpy/ were made with pgpy 0.6 through this module's old `generate_key` and
`sign_and_encrypt`: RSA 2048, armoured; the council's key is passphrase-protected (AES-256, SHA-256 S2K).
pgpy compressed with ZLIB, which pysequoia 0.1.35 cannot verify inside; those files are checked by GnuPG
(`domain/openpgp_compressed.py`), as is a file an agent's own GnuPG compressed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pydantic import SecretStr

from services.agents_gateway.domain import openpgp_compressed
from services.agents_gateway.domain.openpgp import (
    BadSignatureError,
    DamagedMessageError,
    GeneratedKey,
    decrypt_and_verify,
    sign_and_encrypt,
)

FOLDER = Path(__file__).parent / "keys_made_by_pgpy"
PASSPHRASE = SecretStr("pgpy fixture passphrase")
COUNCIL_PRIVATE = SecretStr((FOLDER / "council_private.asc").read_text(encoding="utf-8"))
COUNCIL_PUBLIC = (FOLDER / "council_public.asc").read_text(encoding="utf-8")
AGENT_PRIVATE = SecretStr((FOLDER / "agent_private.asc").read_text(encoding="utf-8"))
AGENT_PUBLIC = (FOLDER / "agent_public.asc").read_text(encoding="utf-8")
PAYLOAD = (FOLDER / "payload.jsonl").read_bytes()


def test_a_protected_council_key_made_by_pgpy_signs_what_an_old_agent_key_decrypts() -> None:
    protected = sign_and_encrypt(PAYLOAD, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE)
    assert decrypt_and_verify(protected, AGENT_PRIVATE, COUNCIL_PUBLIC) == PAYLOAD


def test_a_protected_council_key_made_by_pgpy_decrypts_what_the_agent_sends_now() -> None:
    protected = sign_and_encrypt(PAYLOAD, AGENT_PRIVATE, COUNCIL_PUBLIC, armour=True)
    assert decrypt_and_verify(protected, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE) == PAYLOAD


def test_old_keys_work_with_keys_made_now(council_key: GeneratedKey) -> None:
    protected = sign_and_encrypt(PAYLOAD, council_key.private_armoured, AGENT_PUBLIC)
    assert decrypt_and_verify(protected, AGENT_PRIVATE, council_key.public_armoured) == PAYLOAD


@pytest.mark.parametrize("name", ["agent_to_council.pgp", "agent_to_council.asc"])
def test_a_compressed_file_encrypted_by_the_old_code_decrypts_with_the_new(name: str) -> None:
    protected = (FOLDER / name).read_bytes()
    assert decrypt_and_verify(protected, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE) == PAYLOAD


def test_an_old_compressed_file_signed_by_someone_else_is_still_a_bad_signature() -> None:
    protected = (FOLDER / "council_to_agent.pgp").read_bytes()  # signed by the council, not by the agent
    with pytest.raises(BadSignatureError, match="not with the agent's registered key"):
        decrypt_and_verify(protected, AGENT_PRIVATE, AGENT_PUBLIC)


def test_an_altered_compressed_file_is_refused_as_damaged() -> None:
    altered = bytearray((FOLDER / "agent_to_council.pgp").read_bytes())
    altered[-30] ^= 1
    with pytest.raises(DamagedMessageError, match="truncated, altered"):
        decrypt_and_verify(bytes(altered), COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE)


def test_a_file_an_agents_gnupg_signed_and_encrypted_with_its_default_compression_is_accepted() -> None:
    gpg = openpgp_compressed.gpg_binary()
    assert gpg is not None, "GnuPG is installed by deploy/local/bootstrap"
    home = tempfile.mkdtemp(prefix="gpg-")

    def agents_gpg(*args: str, given: bytes) -> bytes:
        environment = {"GNUPGHOME": home, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [gpg, "--batch", *args], input=given, capture_output=True, check=True, env=environment
        )
        return done.stdout

    try:
        agents_gpg("--import", given=AGENT_PRIVATE.get_secret_value().encode())
        agents_gpg("--import", given=COUNCIL_PUBLIC.encode())
        made = agents_gpg(
            "--trust-model",
            "always",
            "--sign",
            "--encrypt",
            "--compress-algo",
            "zlib",
            "--recipient",
            _fingerprint(COUNCIL_PUBLIC),
            given=PAYLOAD,
        )
    finally:
        subprocess.run(
            ["gpgconf", "--homedir", home, "--kill", "gpg-agent"], capture_output=True, check=False
        )
        shutil.rmtree(home, ignore_errors=True)
    assert decrypt_and_verify(made, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE) == PAYLOAD


def test_without_gnupg_a_compressed_file_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpgp_compressed, "gpg_binary", lambda: None)
    protected = (FOLDER / "agent_to_council.pgp").read_bytes()
    with pytest.raises(BadSignatureError, match=r"compressed.*GnuPG"):
        decrypt_and_verify(protected, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE)


def _fingerprint(armoured: str) -> str:
    import pysequoia

    return str(pysequoia.Cert.from_bytes(armoured.encode()).fingerprint)
