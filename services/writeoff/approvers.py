"""Who acts on write-offs: the person the council's identity provider signed in (issue 15), as this service sees
them. The provider checks passwords and keeps sessions; this service trusts its verified access tokens only.

A person's id is the token's subject (stable; what segregation of duties and declarations compare), their
roles are the token's roles (the band roles of `bands/*.yaml`, `write_off_officer`, `committee_clerk`, ...) and
their council is the token's `council` claim (the service's WRITEOFF_COUNCIL when the provider gives none).
`approvers.demo.yaml` is no longer read here: it lists the demo people the local provider signs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.writeoff.domain import Approver, CouncilWriteOffPolicy
from shared.auth import Principal, Role

# Roles that act on write-offs without signing schedules.
WRITE_OFF_OFFICER = "write_off_officer"  # builds schedules and amends them before signature
COMMITTEE_CLERK = "committee_clerk"  # records the decisions of Cabinet, Executive and full Council
REQUESTING_OFFICER = "requesting_officer"  # a budget holder of the originating service asking for a write-off

# Who records the independent panel's finding on an "other" reason (Derby App.1 §8): the Debt Manager's team
# or the clerk who minutes the panel.
PANEL_RECORDERS = (WRITE_OFF_OFFICER, COMMITTEE_CLERK)

# Platform officers who may ask for a write-off from the workbench.
PLATFORM_REQUESTERS = (Role.REVENUES_OFFICER, Role.SENIOR_OFFICER)


@dataclass(frozen=True, slots=True)
class Person:
    """A signed-in person acting on write-offs."""

    person_id: str
    """The provider's subject for the person: what "who requested" and "who signed" are compared by."""
    name: str
    council: str
    roles: frozenset[str]
    recorded_as: str
    """How records and events name them ('Director of Finance (s.151) (derby.director)')."""

    def as_approver(self) -> Approver:
        """The person as the domain sees an approver."""
        return Approver(self.person_id, self.roles, self.name)

    def holds(self, role: str) -> bool:
        """Whether the person holds `role`."""
        return role in self.roles

    @classmethod
    def of(cls, principal: Principal, default_council: str) -> Person:
        """The person a verified principal is (their council: the token's, else `default_council`)."""
        return cls(
            person_id=principal.subject,
            name=principal.name,
            council=principal.council or default_council,
            roles=principal.roles,
            recorded_as=principal.recorded_as,
        )


def acting_roles(policies: Mapping[str, CouncilWriteOffPolicy]) -> frozenset[str]:
    """Every role that acts on write-offs under these councils' policies: the band roles, the council's
    reinstatement referral role, and the write-off officer, committee clerk and requesting officer."""
    roles: set[str] = {WRITE_OFF_OFFICER, COMMITTEE_CLERK, REQUESTING_OFFICER}
    for policy in policies.values():
        if policy.reinstatement_referral_role:
            roles.add(policy.reinstatement_referral_role)
        for table in policy.tables:
            for band in table.bands:
                roles |= band.roles
    return frozenset(roles)


def sorted_roles(*groups: Iterable[str]) -> tuple[str, ...]:
    """The roles of every group, once each, in a stable order (for `requires(...)`)."""
    return tuple(sorted({str(role) for group in groups for role in group}))
