"""Who the debtor is, as far as recovery's conditions care (committal and similar steps are for individuals only)."""

from __future__ import annotations

from collections.abc import Iterable

ORGANISATION = "organisation"


def debtor_is_individual(customer_kinds: Iterable[str]) -> bool:
    """A debt's debtor is an individual unless one of those liable for it is an organisation (a debtor not yet
    registered counts as an individual: the gentler assumption, corrected when billing says otherwise)."""
    return all(kind != ORGANISATION for kind in customer_kinds)
