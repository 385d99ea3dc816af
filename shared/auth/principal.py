"""Who is acting: the principal an access token names, and the platform's roles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal


class Role(StrEnum):
    """What a principal may do across the platform. A council's provider grants them (Entra ID app roles in the
    `roles` claim, or groups mapped to them by AUTH_GROUP_ROLES). Write-off approval roles are not listed here:
    they are named by each council's approval bands and arrive in `Principal.roles` as plain strings."""

    REVENUES_OFFICER = "revenues_officer"
    SENIOR_OFFICER = "senior_officer"
    BREATHING_SPACE_OFFICER = "breathing_space_officer"
    AGENTS_OFFICER = "agents_officer"
    AUDITOR = "auditor"
    """Reads everything an officer can read; changes nothing."""
    OPERATIONS = "operations"
    """Dead letters, daily runs and other running of the platform."""
    COUNCIL_SYSTEM = "council_system"
    """A council system calling with its own client-credentials token."""
    MONITORING = "monitoring"
    """Scrapes /metrics."""


@dataclass(frozen=True)
class Principal:
    """A verified person or system. `subject` is stable (the token's `sub`); `recorded_as` is what case records,
    events and audit trails store as who acted."""

    subject: str
    name: str
    username: str | None
    email: str | None
    roles: frozenset[str]
    council: str | None
    kind: Literal["person", "system"]

    @property
    def recorded_as(self) -> str:
        """'Priya Shah (revenues.officer)': readable in a case record and unique to the person."""
        handle = self.username or self.email or self.subject
        return self.name if handle == self.name else f"{self.name} ({handle})"

    def holds_any(self, roles: Iterable[str]) -> bool:
        """Whether the principal holds at least one of `roles`."""
        return not self.roles.isdisjoint(str(role) for role in roles)

    @classmethod
    def from_claims(
        cls, claims: Mapping[str, Any], group_roles: Mapping[str, str] | None = None
    ) -> Principal:
        """The principal of a verified token's claims. Roles are the `roles` claim as given plus the `groups`
        claim, each group mapped through `group_roles` when a mapping is configured (Entra sends group ids)."""
        roles = {str(role) for role in _strings(claims.get("roles"))}
        for group in _strings(claims.get("groups")):
            if group_roles:
                if group in group_roles:
                    roles.add(group_roles[group])
            else:
                roles.add(group)
        subject = str(claims["sub"])
        is_system = claims.get("client_id") == subject and "preferred_username" not in claims
        username = claims.get("preferred_username") or claims.get("upn")
        return cls(
            subject=subject,
            name=str(claims.get("name") or username or subject),
            username=str(username) if username else None,
            email=str(claims["email"]) if claims.get("email") else None,
            roles=frozenset(roles),
            council=str(claims["council"]) if claims.get("council") else None,
            kind="system" if is_system else "person",
        )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return []
