"""The approver directory: the people who request, schedule, sign and record write-offs, with their roles.

Configured in a YAML file (setting WRITEOFF_APPROVERS_FILE), one entry a person: `person_id`, `name`,
`council`, `roles` and `password_scrypt`, a salted scrypt hash made by `council-debt writeoff hash-password`.
Roles come from this directory on every request, never from what a browser sends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from services.writeoff.domain import Approver

# Roles that act on schedules without signing them.
WRITE_OFF_OFFICER = "write_off_officer"  # builds schedules and amends them before signature
COMMITTEE_CLERK = "committee_clerk"  # records the decisions of Cabinet, Executive and full Council

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of `password`, as stored in the directory: `scrypt$n$r$p$salt$hash`."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    encode = base64.urlsafe_b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def password_matches(password: str, stored: str) -> bool:
    """True when `password` hashes to the stored scrypt hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.urlsafe_b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the directory."""

    person_id: str
    name: str
    council: str
    roles: frozenset[str]
    password_scrypt: str

    def as_approver(self) -> Approver:
        """The person as the domain sees an approver."""
        return Approver(self.person_id, self.roles, self.name)


class DirectoryError(ValueError):
    """The approver directory file is invalid."""


class ApproverDirectory:
    """Everyone who may act on write-offs, by person id."""

    def __init__(self, people: list[Person]) -> None:
        self.people = {person.person_id: person for person in people}

    def get(self, person_id: str) -> Person | None:
        """The person with this id, or None."""
        return self.people.get(person_id)

    def authenticate(self, person_id: str, password: str) -> Person | None:
        """The person, when the password is theirs; None otherwise."""
        person = self.people.get(person_id)
        if person is None:
            # Hash anyway so a wrong id takes as long as a wrong password.
            password_matches(password, hash_password("", salt=b"0" * 16))
            return None
        return person if password_matches(password, person.password_scrypt) else None

    @classmethod
    def load(cls, path: Path) -> ApproverDirectory:
        """Read and check the directory file; every fault is reported at once."""
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        problems: list[str] = []
        people: list[Person] = []
        seen: set[str] = set()
        for index, entry in enumerate(document.get("approvers") or [], start=1):
            if not isinstance(entry, dict):
                problems.append(f"entry {index} must be a mapping")
                continue
            person_id = str(entry.get("person_id") or "").strip()
            roles = entry.get("roles") or []
            if not person_id:
                problems.append(f"entry {index}: person_id is required")
            elif person_id in seen:
                problems.append(f"entry {index}: {person_id} appears twice")
            seen.add(person_id)
            if not entry.get("council"):
                problems.append(f"entry {index}: council is required")
            if not isinstance(roles, list) or not roles:
                problems.append(f"entry {index}: roles must be a non-empty list")
                roles = []
            if not str(entry.get("password_scrypt", "")).startswith("scrypt$"):
                problems.append(f"entry {index}: password_scrypt must be a scrypt hash")
            people.append(
                Person(
                    person_id=person_id,
                    name=str(entry.get("name") or person_id),
                    council=str(entry.get("council") or ""),
                    roles=frozenset(str(role) for role in roles),
                    password_scrypt=str(entry.get("password_scrypt", "")),
                )
            )
        if problems:
            raise DirectoryError(f"{path}: " + "; ".join(problems))
        return cls(people)
