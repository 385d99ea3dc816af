"""Who the debtor is, as an agent must be told: an individual or an organisation, and the name to trace them by.

Billing registers each liable party with a `kind`; the gateway keeps that identity as billing sent it. The
rules here decide, once, how that identity is named in a placement record. The placement store builds the same
record in SQL for speed (50,000 placements a night) beside a reference to these functions, and an integration
test holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.agents_gateway.domain.records import DebtorKind

ORGANISATION = "organisation"
"""The `kind` billing gives a liable party that is a company, a charity or another body, not a person."""


def debtor_kind(identity: Mapping[str, Any]) -> DebtorKind:
    """The debtor is an organisation when billing registered them as one; anyone else is an individual."""
    return DebtorKind.ORGANISATION if identity.get("kind") == ORGANISATION else DebtorKind.PERSON


def debtor_name(identity: Mapping[str, Any]) -> str:
    """An organisation by its name; an individual as title, first names and surname (those given)."""
    if debtor_kind(identity) is DebtorKind.ORGANISATION:
        return str(identity.get("organisation_name") or "")
    parts = (identity.get("title"), identity.get("first_names"), identity.get("surname"))
    return " ".join(str(part) for part in parts if part is not None)
