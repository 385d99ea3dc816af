"""Checking the signature inside a *compressed* inbound file, which pysequoia 0.1.35 will not do ("Unexpected
message structure"): GnuPG does it, through python-gnupg, in a keyring made for this one file and removed after.

Agents' software (GnuPG by default, and pgpy, which wrote our own old files) compresses before it encrypts, so a
council cannot simply refuse such files. GnuPG is the reference OpenPGP implementation and is maintained; PGPy,
which did this before, has had no release since 2022 and does not import on Python 3.13. The throwaway keyring
holds only our key and the agent's, so GnuPG's answer can only be "signed by the agent's key" or not, and no
state is shared between files or with any keyring on the machine.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

import gnupg
from pydantic import SecretStr


class CompressedFileUnchecked(Exception):
    """GnuPG could not decrypt or check the file; the message names why (never any of the file's content)."""


def gpg_binary() -> str | None:
    """The gpg binary python-gnupg drives, or None where GnuPG is not installed."""
    return shutil.which("gpg")


def decrypt_and_verify_compressed(
    protected: bytes,
    our_private_key: SecretStr,
    agent_public_key: str,
    agent_fingerprint: str,
    our_passphrase: SecretStr | None,
) -> tuple[bytes | None, str | None]:
    """Decrypt with our key and check the agent signed it: (plaintext, None), or (None, why not).

    `agent_fingerprint` is the registered key's primary fingerprint (pysequoia's, upper-case hex); a signature by
    that key or one of its subkeys counts, anything else is "signed, but not with the agent's registered key".
    """
    binary = gpg_binary()
    if binary is None:
        raise CompressedFileUnchecked("GnuPG (gpg) is not installed, so a compressed file cannot be checked")
    passphrase = our_passphrase.get_secret_value() if our_passphrase is not None else None
    # A short path: gpg-agent's socket lives in the home folder and Unix sockets allow ~100 characters.
    home = tempfile.mkdtemp(prefix="gpg-")
    try:
        gpg = gnupg.GPG(gpgbinary=binary, gnupghome=home)
        gpg.encoding = "utf-8"
        ours = gpg.import_keys(our_private_key.get_secret_value(), passphrase=passphrase)
        theirs = gpg.import_keys(agent_public_key)
        if not ours.fingerprints or not theirs.fingerprints:
            raise CompressedFileUnchecked("GnuPG could not read the council's or the agent's key")
        # Trust is ours to give: the agent's key is the one registered for them (and the only other key here).
        result = gpg.decrypt(protected, passphrase=passphrase, always_trust=True)
        if not result.ok:
            return None, _refusal(result)
        if not result.valid:
            if "signature bad" in (result.status or ""):
                return None, "the agent's signature does not match the file's contents"
            if result.key_id is None:
                return None, "the file is not signed"
            return None, "the file is signed, but not with the agent's registered key"
        if (result.pubkey_fingerprint or "").upper() != agent_fingerprint.upper():
            return None, "the file is signed, but not with the agent's registered key"
        return result.data, None
    finally:
        # gpg-agent outlives gpg; stop it before its folder goes.
        subprocess.run(
            ["gpgconf", "--homedir", home, "--kill", "gpg-agent"], capture_output=True, check=False
        )
        shutil.rmtree(home, ignore_errors=True)


def _refusal(result: gnupg.Crypt) -> str:
    """Why GnuPG refused, in the words of the quarantine report."""
    status = (result.status or "").lower()
    if "no secret key" in status or "no_seckey" in (result.stderr or "").lower():
        return "the file was not encrypted to the council's key"
    if "bad passphrase" in status:
        return "the council's key could not be unlocked"
    return "the file could not be decrypted: it is truncated, altered or not OpenPGP"
