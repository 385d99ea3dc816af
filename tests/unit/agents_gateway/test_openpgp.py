"""Sign-then-encrypt for the agent, decrypt-then-verify from the agent, and a clear error for each failure."""

from __future__ import annotations

from pathlib import Path

import pysequoia
import pytest
from pydantic import SecretStr

from services.agents_gateway.domain.openpgp import (
    BadSignatureError,
    DamagedMessageError,
    GeneratedKey,
    KeyMaterialError,
    WrongKeyError,
    decrypt_and_verify,
    generate_key,
    sign_and_encrypt,
)

PAYLOAD = b'{"kind":"header"}\n' * 200
KEYS_MADE_BY_PGPY = Path(__file__).parent / "keys_made_by_pgpy"
"""Keys and files made by the pgpy 0.6 code this module replaced: keys already issued must go on working."""
OLD_PASSPHRASE = SecretStr("pgpy fixture passphrase")


def test_a_file_we_sign_and_encrypt_is_read_by_the_agent_unchanged(
    council_key: GeneratedKey, agent_key: GeneratedKey
) -> None:
    protected = sign_and_encrypt(PAYLOAD, council_key.private_armoured, agent_key.public_armoured)
    assert PAYLOAD not in protected
    assert decrypt_and_verify(protected, agent_key.private_armoured, council_key.public_armoured) == PAYLOAD


def test_an_armoured_file_is_read_the_same(council_key: GeneratedKey, agent_key: GeneratedKey) -> None:
    protected = sign_and_encrypt(
        PAYLOAD, council_key.private_armoured, agent_key.public_armoured, armour=True
    )
    assert protected.startswith(b"-----BEGIN PGP MESSAGE-----")
    assert decrypt_and_verify(protected, agent_key.private_armoured, council_key.public_armoured) == PAYLOAD


def test_a_file_encrypted_to_another_key_is_a_wrong_key_error(
    council_key: GeneratedKey, agent_key: GeneratedKey, stranger_key: GeneratedKey
) -> None:
    protected = sign_and_encrypt(PAYLOAD, agent_key.private_armoured, stranger_key.public_armoured)
    with pytest.raises(WrongKeyError):
        decrypt_and_verify(protected, council_key.private_armoured, agent_key.public_armoured)


def test_a_file_signed_by_someone_other_than_the_agent_is_a_bad_signature(
    council_key: GeneratedKey, stranger_key: GeneratedKey, agent_key: GeneratedKey
) -> None:
    protected = sign_and_encrypt(PAYLOAD, stranger_key.private_armoured, council_key.public_armoured)
    with pytest.raises(BadSignatureError):
        decrypt_and_verify(protected, council_key.private_armoured, agent_key.public_armoured)


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_file_is_a_damaged_message(
    council_key: GeneratedKey, agent_key: GeneratedKey, keep: float
) -> None:
    protected = sign_and_encrypt(PAYLOAD, agent_key.private_armoured, council_key.public_armoured)
    with pytest.raises(DamagedMessageError):
        decrypt_and_verify(
            protected[: int(len(protected) * keep)], council_key.private_armoured, agent_key.public_armoured
        )


def test_a_tampered_file_is_a_damaged_message(council_key: GeneratedKey, agent_key: GeneratedKey) -> None:
    protected = bytearray(sign_and_encrypt(PAYLOAD, agent_key.private_armoured, council_key.public_armoured))
    protected[-40] ^= 0x01
    with pytest.raises(DamagedMessageError):
        decrypt_and_verify(bytes(protected), council_key.private_armoured, agent_key.public_armoured)


def test_plain_bytes_that_are_not_openpgp_are_a_damaged_message(
    council_key: GeneratedKey, agent_key: GeneratedKey
) -> None:
    with pytest.raises(DamagedMessageError):
        decrypt_and_verify(PAYLOAD, council_key.private_armoured, agent_key.public_armoured)


def test_a_passphrase_protected_key_needs_the_right_passphrase(agent_key: GeneratedKey) -> None:
    protected_key = SecretStr((KEYS_MADE_BY_PGPY / "council_private.asc").read_text(encoding="utf-8"))
    protected_public = (KEYS_MADE_BY_PGPY / "council_public.asc").read_text(encoding="utf-8")
    sealed = sign_and_encrypt(b"x", protected_key, agent_key.public_armoured, OLD_PASSPHRASE)
    assert decrypt_and_verify(sealed, agent_key.private_armoured, protected_public) == b"x"
    with pytest.raises(KeyMaterialError, match="does not unlock"):
        sign_and_encrypt(b"x", protected_key, agent_key.public_armoured, SecretStr("wrong"))
    with pytest.raises(KeyMaterialError, match="no passphrase"):
        sign_and_encrypt(b"x", protected_key, agent_key.public_armoured)


def test_an_unsigned_file_is_a_bad_signature_not_a_damaged_one(
    council_key: GeneratedKey, agent_key: GeneratedKey
) -> None:
    unsigned = pysequoia.encrypt(
        PAYLOAD, [pysequoia.Cert.from_bytes(council_key.public_armoured.encode())], armor=False
    )
    with pytest.raises(BadSignatureError, match="not signed"):
        decrypt_and_verify(unsigned, council_key.private_armoured, agent_key.public_armoured)


def test_a_public_key_where_the_private_one_is_needed_is_a_key_error(
    council_key: GeneratedKey, agent_key: GeneratedKey
) -> None:
    with pytest.raises(KeyMaterialError):
        sign_and_encrypt(b"x", SecretStr(council_key.public_armoured), agent_key.public_armoured)
    with pytest.raises(KeyMaterialError):
        sign_and_encrypt(b"x", SecretStr("not a key"), agent_key.public_armoured)


def test_a_generated_private_key_never_shows_in_its_repr(council_key: GeneratedKey) -> None:
    assert "PRIVATE KEY" not in repr(council_key)
    assert "PRIVATE KEY" in council_key.private_armoured.get_secret_value()


def test_a_new_key_is_rsa_of_the_size_asked_and_never_silently_unprotected() -> None:
    key = generate_key("Council", "c@example.org", bits=2048)
    assert len(key.fingerprint) == 40 and key.fingerprint in key.public_armoured.replace(" ", "")
    with pytest.raises(KeyMaterialError, match="passphrase-protect"):
        generate_key("Council", "c@example.org", bits=2048, passphrase=SecretStr("correct horse"))
    with pytest.raises(KeyMaterialError, match="1024 bits"):
        generate_key("Council", "c@example.org", bits=1024)
