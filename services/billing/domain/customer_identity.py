"""Who a customer is, and whether a newly seen party is someone the council already bills.

Customers are matched across debt types by name, date of birth, address and known references (council tax
account, NNDR account, housing benefit claim, tenancy, National Insurance number). A match is only ever EXACT
when the evidence leaves no doubt; anything less is POSSIBLE and goes to a person to confirm, never merged
silently (DESIGN.md, Money and identity).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class PartyKind(StrEnum):
    """A customer is a person or a body with legal personality (Derby 5.1)."""

    PERSON = "person"
    ORGANISATION = "organisation"


class ReferenceKind(StrEnum):
    """A reference another council system knows the customer by."""

    COUNCIL_TAX_ACCOUNT = "council_tax_account"
    NNDR_ACCOUNT = "nndr_account"
    HOUSING_BENEFIT_CLAIM = "housing_benefit_claim"
    TENANCY = "tenancy"
    NI_NUMBER = "ni_number"
    SUNDRY_CUSTOMER = "sundry_customer"
    COMPANY_NUMBER = "company_number"


# A person has one NI number and a company one registered number: two different values mean two parties.
_ONE_PER_PARTY: frozenset[ReferenceKind] = frozenset({ReferenceKind.NI_NUMBER, ReferenceKind.COMPANY_NUMBER})


@dataclass(frozen=True)
class Address:
    """A postal address; the postcode is what matching compares."""

    lines: tuple[str, ...] = ()
    postcode: str = ""

    @property
    def normalised_postcode(self) -> str:
        """The postcode without spaces, upper case ('de1 2fs' and 'DE12FS' are the same place)."""
        return re.sub(r"\s+", "", self.postcode).upper()


@dataclass(frozen=True)
class Reference:
    """One reference of a kind, e.g. council tax account 'CT-1234'."""

    kind: ReferenceKind
    value: str

    @property
    def normalised(self) -> tuple[ReferenceKind, str]:
        """The reference compared case- and spacing-insensitively."""
        return (self.kind, re.sub(r"[\s-]+", "", self.value).upper())


@dataclass(frozen=True)
class CustomerIdentity:
    """Who a customer is. Persons have forenames and surname; organisations an organisation name."""

    kind: PartyKind
    forenames: str = ""
    surname: str = ""
    organisation_name: str = ""
    date_of_birth: date | None = None
    addresses: tuple[Address, ...] = ()
    references: tuple[Reference, ...] = field(default_factory=tuple)

    def postcodes(self) -> frozenset[str]:
        """Every postcode the customer is known at."""
        return frozenset(a.normalised_postcode for a in self.addresses if a.normalised_postcode)


class MatchOutcome(StrEnum):
    """How sure a match is: EXACT may be linked; POSSIBLE needs a person to confirm; NONE is a stranger."""

    EXACT = "exact"
    POSSIBLE = "possible"
    NONE = "none"


@dataclass(frozen=True)
class IdentityMatch:
    """The outcome of comparing two identities, with the reasons a person reviewing it would need."""

    outcome: MatchOutcome
    reasons: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        """True when a person must confirm before the two records are treated as one customer."""
        return self.outcome is MatchOutcome.POSSIBLE


def _words(text: str) -> list[str]:
    return re.sub(r"[^A-Z ]", "", text.upper().replace("-", " ")).split()


def _organisation_key(name: str) -> str:
    # 'Acme Limited', 'ACME LTD.' and 'Acme Ltd' are one company.
    suffixes = {"LIMITED": "LTD", "PUBLIC LIMITED COMPANY": "PLC", "THE": ""}
    words = [suffixes.get(w, w) for w in _words(name)]
    return " ".join(w for w in words if w)


def _forenames_agree(a: str, b: str) -> tuple[bool, bool]:
    """(exactly equal, compatible): 'J' and 'John' or 'Jon' and 'Jonathan' are compatible but not equal."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return (False, False)
    first_a, first_b = wa[0], wb[0]
    if first_a == first_b:
        return (True, True)
    return (False, first_a.startswith(first_b) or first_b.startswith(first_a))


def _reference_evidence(a: CustomerIdentity, b: CustomerIdentity) -> tuple[list[str], list[str]]:
    refs_a = {r.normalised for r in a.references}
    refs_b = {r.normalised for r in b.references}
    shared = sorted(f"same {kind.value.replace('_', ' ')} {value}" for kind, value in refs_a & refs_b)
    conflicts = []
    for kind in _ONE_PER_PARTY:
        values_a = {v for k, v in refs_a if k is kind}
        values_b = {v for k, v in refs_b if k is kind}
        if values_a and values_b and not values_a & values_b:
            conflicts.append(f"different {kind.value.replace('_', ' ')}")
    return shared, conflicts


def match_identity(incoming: CustomerIdentity, existing: CustomerIdentity) -> IdentityMatch:
    """Compare a newly seen party with a known customer and say EXACT, POSSIBLE or NONE, with reasons."""
    if incoming.kind is not existing.kind:
        return IdentityMatch(MatchOutcome.NONE, ("one is a person and the other an organisation",))
    shared_refs, conflicts = _reference_evidence(incoming, existing)
    shared_postcode = bool(incoming.postcodes() & existing.postcodes())
    if incoming.kind is PartyKind.ORGANISATION:
        return _match_organisation(incoming, existing, shared_refs, conflicts, shared_postcode)
    return _match_person(incoming, existing, shared_refs, conflicts, shared_postcode)


def _match_organisation(
    incoming: CustomerIdentity,
    existing: CustomerIdentity,
    shared_refs: list[str],
    conflicts: list[str],
    shared_postcode: bool,
) -> IdentityMatch:
    same_name = bool(_organisation_key(incoming.organisation_name)) and _organisation_key(
        incoming.organisation_name
    ) == _organisation_key(existing.organisation_name)
    reasons = list(shared_refs) + conflicts
    reasons += ["same organisation name"] if same_name else ["organisation names differ"]
    if shared_postcode:
        reasons.append("same postcode")
    if conflicts:
        outcome = MatchOutcome.POSSIBLE if shared_refs else MatchOutcome.NONE
    elif shared_refs:
        outcome = MatchOutcome.EXACT if same_name else MatchOutcome.POSSIBLE
    elif same_name and shared_postcode:
        # Without a reference in common, a trading name at the same postcode is still only likely.
        outcome = MatchOutcome.POSSIBLE
    else:
        outcome = MatchOutcome.NONE
    return IdentityMatch(outcome, tuple(reasons))


def _match_person(
    incoming: CustomerIdentity,
    existing: CustomerIdentity,
    shared_refs: list[str],
    conflicts: list[str],
    shared_postcode: bool,
) -> IdentityMatch:
    same_surname = bool(_words(incoming.surname)) and _words(incoming.surname) == _words(existing.surname)
    forename_equal, forename_compatible = _forenames_agree(incoming.forenames, existing.forenames)
    same_name = same_surname and forename_equal
    similar_name = same_surname and forename_compatible
    dob_known = incoming.date_of_birth is not None and existing.date_of_birth is not None
    same_dob = dob_known and incoming.date_of_birth == existing.date_of_birth
    dob_conflict = dob_known and not same_dob

    reasons = list(shared_refs) + conflicts
    if same_name:
        reasons.append("same name")
    elif similar_name:
        reasons.append("similar name (forename differs or is an initial)")
    elif same_surname:
        reasons.append("same surname, different forename")
    else:
        reasons.append("names differ")
    if same_dob:
        reasons.append("same date of birth")
    elif dob_conflict:
        reasons.append("different dates of birth")
    else:
        reasons.append("date of birth not held on both records")
    reasons.append("same postcode" if shared_postcode else "no postcode in common")

    if conflicts or dob_conflict:
        # Strong evidence of two people; a shared reference (e.g. a joint council tax account) needs a person.
        outcome = MatchOutcome.POSSIBLE if shared_refs else MatchOutcome.NONE
    elif shared_refs:
        outcome = MatchOutcome.EXACT if same_name else MatchOutcome.POSSIBLE
    elif same_name and same_dob and shared_postcode:
        outcome = MatchOutcome.EXACT
    elif (
        (similar_name and same_dob)
        or (same_name and shared_postcode)
        or (same_surname and same_dob and shared_postcode)
    ):
        outcome = MatchOutcome.POSSIBLE
    else:
        outcome = MatchOutcome.NONE
    return IdentityMatch(outcome, tuple(reasons))


class CustomerAction(StrEnum):
    """What billing does with an incoming party after matching."""

    LINK = "link"  # to the one customer it exactly matches
    REVIEW = "review"  # a person confirms; the charge waits on a provisional customer
    CREATE = "create"  # nobody like them is known


@dataclass(frozen=True)
class CandidateMatch:
    """A known customer and how well the incoming party matched them."""

    customer_id: str
    match: IdentityMatch


@dataclass(frozen=True)
class CustomerDecision:
    """The action for an incoming party, the customer to link to (LINK only) and every non-NONE match."""

    action: CustomerAction
    customer_id: str | None
    matches: tuple[CandidateMatch, ...]


def decide_customer(
    incoming: CustomerIdentity, known: Iterable[tuple[str, CustomerIdentity]]
) -> CustomerDecision:
    """Link to a single exact match; anything uncertain (possible matches, two exact ones) goes to review."""
    matches = [CandidateMatch(cid, match_identity(incoming, identity)) for cid, identity in known]
    relevant = tuple(
        sorted(
            (m for m in matches if m.match.outcome is not MatchOutcome.NONE),
            key=lambda m: (m.match.outcome is not MatchOutcome.EXACT, m.customer_id),
        )
    )
    exact = [m for m in relevant if m.match.outcome is MatchOutcome.EXACT]
    if len(exact) == 1:
        return CustomerDecision(CustomerAction.LINK, exact[0].customer_id, relevant)
    if relevant:
        # Two exact matches mean the council already holds a duplicate: a person must sort it out.
        return CustomerDecision(CustomerAction.REVIEW, None, relevant)
    return CustomerDecision(CustomerAction.CREATE, None, relevant)


@dataclass(frozen=True)
class MatchingKeys:
    """What a customer record is found by before the full comparison: any candidate that could reach POSSIBLE
    shares a reference, or has the same surname (organisation name) with the same date of birth or postcode."""

    surname_key: str | None
    organisation_key: str | None
    postcodes: tuple[str, ...]
    reference_keys: tuple[str, ...]


def matching_keys(identity: CustomerIdentity) -> MatchingKeys:
    """The search keys of an identity, normalised exactly as `match_identity` compares them."""
    surname = " ".join(_words(identity.surname)) or None
    organisation = _organisation_key(identity.organisation_name) or None
    references = sorted(
        {f"{kind.value}:{value}" for kind, value in (r.normalised for r in identity.references)}
    )
    return MatchingKeys(
        surname_key=surname if identity.kind is PartyKind.PERSON else None,
        organisation_key=organisation if identity.kind is PartyKind.ORGANISATION else None,
        postcodes=tuple(sorted(identity.postcodes())),
        reference_keys=tuple(references),
    )


def identity_adds_to(incoming: CustomerIdentity, existing: CustomerIdentity) -> bool:
    """True when a linked party brings something the customer record lacks (a new address or reference, a
    date of birth), so the record is amended."""
    known_references = {r.normalised for r in existing.references}
    return (
        bool(incoming.postcodes() - existing.postcodes())
        or any(r.normalised not in known_references for r in incoming.references)
        or (incoming.date_of_birth is not None and existing.date_of_birth is None)
    )
