"""Approvers and their declarations of interest (Derby App.1 §6, NELC 11.7, RBWM 12).

Anyone with an interest in a debt declares it and takes no part in the decision to write it off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .requests import WriteOffRequest


class InterestKind(StrEnum):
    """The kinds of interest the councils' policies name (the list is not exhaustive, hence OTHER)."""

    SELF = "self"
    RELATIVE = "relative"  # including relatives by marriage
    PARTNERS_RELATIVE = "partners_relative"  # a relative of a current or former partner
    FRIEND_OR_NEIGHBOUR = "friend_or_neighbour"
    ORGANISATION_MEMBERSHIP = "organisation_membership"  # an organisation of which they are a member
    RELATIVES_ORGANISATION = "relatives_organisation"  # an organisation of which a relative is a member
    BUSINESS_RELATIONSHIP = "business_relationship"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Approver:
    """An authenticated person acting on a schedule: their id and every role they hold."""

    person_id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class DeclarationOfInterest:
    """A person's declared interest in a customer (person or organisation) or a particular debt."""

    person_id: str
    kind: InterestKind
    customer_id: str | None = None
    debt_id: str | None = None
    note: str = ""

    def concerns(self, line: WriteOffRequest) -> bool:
        """True when this declaration touches the debt on this line."""
        return (self.customer_id is not None and self.customer_id == line.customer_id) or (
            self.debt_id is not None and self.debt_id == line.debt_id
        )
