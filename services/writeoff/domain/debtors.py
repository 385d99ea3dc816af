"""Who owes a debt, as a schedule shows them and a declaration finds them (issue 15): the debtor's name, the
account reference that identifies the debt to the council's people, and how long it has been owed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

# Which of a debtor's references names a debt of this type (billing's `LiableParty.references` keys).
ACCOUNT_REFERENCE_FOR_DEBT_TYPE = {
    "council_tax": "council_tax_account",
    "business_rates": "nndr_account",
    "housing_benefit_overpayment": "hb_claim",
    "rent_arrears": "tenancy",
    "former_tenant_arrears": "tenancy",
}


def debtor_name(
    kind: str,
    title: str | None,
    first_names: str | None,
    surname: str | None,
    organisation_name: str | None,
) -> str:
    """The debtor as a schedule names them: the organisation's name, or the person's title and full name."""
    if kind == "organisation" and organisation_name:
        return organisation_name
    parts = [part for part in (title, first_names, surname) if part and part.strip()]
    return " ".join(parts) or (organisation_name or "")


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def search_text(name: str, postcode: str, address: str, references: Mapping[str, str]) -> str:
    """What a search for this debtor matches: name, address, postcode with and without its space, and every
    reference, folded to lower case."""
    pieces = [name, address, postcode, postcode.replace(" ", ""), *references.values()]
    return " | ".join(_folded(piece) for piece in pieces if piece)


def search_words(query: str) -> list[str]:
    """The words of a search, each of which a debtor's search text must contain (at most five, two letters
    or more: a one-letter search would list everyone)."""
    return [word for word in _folded(query).split(" ") if len(word) >= 2][:5]


def account_reference(debt_type: str, references: Mapping[str, str], debt_reference: str | None) -> str:
    """The reference the council's people know the debt by: the debtor's account for this debt type (council
    tax account, rates account, claim, tenancy), else the debt's own reference (the invoice or PCN)."""
    key = ACCOUNT_REFERENCE_FOR_DEBT_TYPE.get(debt_type)
    if key and references.get(key):
        return references[key]
    return debt_reference or references.get("customer_number", "")


def debt_age(fell_due: date | None, today: date) -> str:
    """How long the debt has been owed since it fell due, in whole years and months ('2 years 3 months'), or
    days under a month; empty when the due date is unknown."""
    if fell_due is None:
        return ""
    if fell_due >= today:
        return "not yet due"
    months = (today.year - fell_due.year) * 12 + today.month - fell_due.month - (today.day < fell_due.day)
    if months < 1:
        days = (today - fell_due).days
        return f"{days} day{'s' if days != 1 else ''}"
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)
