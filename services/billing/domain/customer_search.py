"""Finding a customer the way an officer with a resident on the phone would: by name in any order and any case,
by postcode with or without its space, by a fragment of the address, by any reference the council knows them by
(council tax or business rates account, tenancy, NI number), or by an invoice or penalty charge notice number.

Every customer carries its search words (name and every address, current and previous, with each postcode
whole and in its two halves); a query's words must all be among them. References are compared without case,
spaces or hyphens, as matching compares them (`customer_identity.Reference.normalised`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from services.billing.domain.customer_identity import CustomerIdentity, ReferenceKind

# Said either way on a letter or over the phone, one word to search by ('Acme Limited' is 'ACME LTD').
_SAME_WORD = {"LIMITED": "LTD", "COMPANY": "CO"}
_IGNORED = frozenset({"THE", "AND", "OF"})
_APOSTROPHES = re.compile(r"['’`]")
_NOT_A_WORD = re.compile(r"[^\w]+|_+")
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")

MAX_RESULTS = 50
"""The most customers one search answers: a longer list is not read on the phone; the officer adds a word."""


class MatchedOn(StrEnum):
    """What of the customer the query found them by, shown beside each result."""

    CUSTOMER_ID = "customer_id"
    ACCOUNT_REFERENCE = "account_reference"
    NI_NUMBER = "ni_number"
    INVOICE_REFERENCE = "invoice_reference"
    POSTCODE = "postcode"
    NAME = "name"
    ADDRESS = "address"
    NAME_AND_ADDRESS = "name_and_address"


def search_words(phrase: str) -> tuple[str, ...]:
    """The words of a name, an address or a query as they are compared: upper case, punctuation dropped
    ("O'Brien" is OBRIEN, "Smith-Jones" is SMITH JONES), 'the', 'and' and 'of' ignored, sorted, each once."""
    cleaned = _NOT_A_WORD.sub(" ", _APOSTROPHES.sub("", phrase.upper()))
    return tuple(sorted({_SAME_WORD.get(w, w) for w in cleaned.split() if w not in _IGNORED}))


def compact_reference(text: str) -> str:
    """A reference as compared: no case, spaces or hyphens ('ct-000 123' is CT000123)."""
    return re.sub(r"[\s-]+", "", text).upper()


def looks_like_postcode(query: str) -> bool:
    """True for a full UK postcode, with or without its space ('de1 1fs', 'DE11FS')."""
    return bool(_UK_POSTCODE.match(compact_reference(query)))


def name_words(identity: CustomerIdentity) -> frozenset[str]:
    """The words of the customer's name (a person's forenames and surname, or the organisation's name)."""
    return frozenset(
        search_words(" ".join((identity.forenames, identity.surname, identity.organisation_name)))
    )


def _address_words(identity: CustomerIdentity) -> frozenset[str]:
    words: set[str] = set()
    for address in identity.addresses:
        words.update(search_words(" ".join((*address.lines, address.postcode))))
        if address.normalised_postcode:
            words.add(address.normalised_postcode)
    return frozenset(words)


def customer_search_words(identity: CustomerIdentity) -> list[str]:
    """Every word the customer can be found by: the name and every address they are known at, each postcode
    both whole ('DE11FS') and in halves ('DE1', '1FS')."""
    return sorted(name_words(identity) | _address_words(identity))


def reference_search_keys(query: str) -> list[str]:
    """The customer reference keys (`kind:VALUE`, as `matching_keys` stores them) a query could be: the query
    as any kind of reference."""
    value = compact_reference(query)
    return [f"{kind.value}:{value}" for kind in ReferenceKind] if value else []


@dataclass(frozen=True)
class SearchQuery:
    """A query as searched: its words, and the whole of it as a reference or postcode."""

    text: str
    words: tuple[str, ...]
    reference: str

    @property
    def is_postcode(self) -> bool:
        """True when the whole query is a postcode."""
        return bool(_UK_POSTCODE.match(self.reference))


def search_query(text: str) -> SearchQuery:
    """The query an officer typed, ready to search (ValueError when it has nothing to search by)."""
    words = search_words(text)
    reference = compact_reference(text)
    if not words and not reference:
        raise ValueError("the query has no letters or digits to search by")
    return SearchQuery(text.strip(), words, reference)


def matched_by_words(query: SearchQuery, identity: CustomerIdentity) -> MatchedOn:
    """Which part of a customer found by their words the query named: the postcode, the name, the address,
    or both name and address ('Hollis DE1 1FS')."""
    if query.is_postcode and query.reference in identity.postcodes():
        return MatchedOn.POSTCODE
    asked = set(query.words)
    if asked <= name_words(identity):
        return MatchedOn.NAME
    if asked <= _address_words(identity):
        return MatchedOn.ADDRESS
    return MatchedOn.NAME_AND_ADDRESS


def matched_by_reference(query: SearchQuery, reference_keys: tuple[str, ...]) -> MatchedOn:
    """A customer found by one of their references: the NI number, or an account reference."""
    if f"{ReferenceKind.NI_NUMBER.value}:{query.reference}" in reference_keys:
        return MatchedOn.NI_NUMBER
    return MatchedOn.ACCOUNT_REFERENCE
