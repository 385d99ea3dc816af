"""Keys issued and files written by the old pgpy 0.6 code go on working after the move to pysequoia.

The fixtures in keys_made_by_pgpy/ were made with pgpy 0.6 through this module's old `generate_key` and
`sign_and_encrypt`: RSA 2048, armoured; the council's key is passphrase-protected (AES-256, SHA-256 S2K).
pgpy compressed with ZLIB, which pysequoia 0.1.35 cannot verify inside; those files need pgpy (Python < 3.13).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pydantic import SecretStr

from services.agents_gateway.domain.openpgp import (
    BadSignatureError,
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
PGPY_INSTALLED = importlib.util.find_spec("pgpy") is not None


def test_a_protected_council_key_made_by_pgpy_signs_what_an_old_agent_key_decrypts() -> None:
    protected = sign_and_encrypt(PAYLOAD, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE)
    assert decrypt_and_verify(protected, AGENT_PRIVATE, COUNCIL_PUBLIC) == PAYLOAD


def test_a_protected_council_key_made_by_pgpy_decrypts_what_the_agent_sends_now() -> None:
    protected = sign_and_encrypt(PAYLOAD, AGENT_PRIVATE, COUNCIL_PUBLIC, armour=True)
    assert decrypt_and_verify(protected, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE) == PAYLOAD


def test_old_keys_work_with_keys_made_now(council_key: GeneratedKey) -> None:
    protected = sign_and_encrypt(PAYLOAD, council_key.private_armoured, AGENT_PUBLIC)
    assert decrypt_and_verify(protected, AGENT_PRIVATE, council_key.public_armoured) == PAYLOAD


@pytest.mark.skipif(not PGPY_INSTALLED, reason="compressed files need pgpy, which is not installed here")
@pytest.mark.parametrize("name", ["agent_to_council.pgp", "agent_to_council.asc"])
def test_a_file_encrypted_by_the_old_code_decrypts_with_the_new(name: str) -> None:
    protected = (FOLDER / name).read_bytes()
    assert decrypt_and_verify(protected, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE) == PAYLOAD


@pytest.mark.skipif(not PGPY_INSTALLED, reason="compressed files need pgpy, which is not installed here")
def test_an_old_file_signed_by_someone_else_is_still_a_bad_signature() -> None:
    protected = (FOLDER / "council_to_agent.pgp").read_bytes()  # signed by the council, not by the agent
    with pytest.raises(BadSignatureError, match="not with the agent's registered key"):
        decrypt_and_verify(protected, AGENT_PRIVATE, AGENT_PUBLIC)


@pytest.mark.skipif(PGPY_INSTALLED, reason="pgpy is installed here, so compressed files are checked")
def test_without_pgpy_a_compressed_file_is_refused_with_the_reason() -> None:
    protected = (FOLDER / "agent_to_council.pgp").read_bytes()
    with pytest.raises(BadSignatureError, match="compressed"):
        decrypt_and_verify(protected, COUNCIL_PRIVATE, AGENT_PUBLIC, PASSPHRASE)
