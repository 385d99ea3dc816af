"""Liable parties as council systems send them, in the domain's terms: identity for matching and the party a
charge request names."""

from __future__ import annotations

from typing import Any

from services.billing.domain.charge_request import LiabilityParty
from services.billing.domain.customer_identity import (
    Address,
    CustomerIdentity,
    PartyKind,
    Reference,
    ReferenceKind,
)
from shared.contracts.council_systems import LiableParty, PostalAddress

# The public contract's reference names, in the domain's vocabulary.
_REFERENCE_KINDS = {
    "council_tax_account": ReferenceKind.COUNCIL_TAX_ACCOUNT,
    "nndr_account": ReferenceKind.NNDR_ACCOUNT,
    "hb_claim": ReferenceKind.HOUSING_BENEFIT_CLAIM,
    "housing_benefit_claim": ReferenceKind.HOUSING_BENEFIT_CLAIM,
    "tenancy": ReferenceKind.TENANCY,
    "ni_number": ReferenceKind.NI_NUMBER,
    "customer_number": ReferenceKind.SUNDRY_CUSTOMER,
    "sundry_customer": ReferenceKind.SUNDRY_CUSTOMER,
    "company_number": ReferenceKind.COMPANY_NUMBER,
}

# Which of a party's references names the account a debt of this type is billed to (payments quote it).
ACCOUNT_REFERENCE_BY_DEBT_TYPE = {
    "council_tax": "council_tax_account",
    "business_rates": "nndr_account",
    "council_housing_rent": "tenancy",
    "temporary_accommodation": "tenancy",
    "housing_benefit_overpayment": "hb_claim",
}


def _party_kind(raw: str) -> PartyKind:
    return PartyKind.ORGANISATION if raw.strip().lower() == "organisation" else PartyKind.PERSON


def _address(address: PostalAddress) -> Address:
    return Address(tuple(address.lines), address.postcode)


def customer_identity(party: LiableParty) -> CustomerIdentity:
    """The identity billing matches on: names, date of birth, every known address and reference."""
    references = tuple(
        Reference(_REFERENCE_KINDS[key], value)
        for key, value in sorted(party.references.items())
        if key in _REFERENCE_KINDS and value.strip()
    )
    return CustomerIdentity(
        kind=_party_kind(party.kind),
        forenames=party.first_names or "",
        surname=party.surname or "",
        organisation_name=party.organisation_name or "",
        date_of_birth=party.date_of_birth,
        addresses=(_address(party.address), *(_address(a) for a in party.previous_addresses)),
        references=references,
    )


def liability_party(party: LiableParty) -> LiabilityParty:
    """The party as the charge request validation sees it."""
    return LiabilityParty(
        kind=_party_kind(party.kind),
        forenames=party.first_names or "",
        surname=party.surname or "",
        organisation_name=party.organisation_name or "",
        address=_address(party.address),
    )


def stored_party(identity: dict[str, Any] | str) -> LiableParty:
    """A customer's identity as stored (the contract's own JSON form; the driver may hand back the text)."""
    if isinstance(identity, str):
        return LiableParty.model_validate_json(identity)
    return LiableParty.model_validate(identity)


def amended_party(existing: LiableParty, incoming: LiableParty) -> LiableParty:
    """The customer's identity after a linked party brings more: the newest address is current and the older
    ones are kept as previous addresses; references and date of birth are added, never dropped."""
    addresses = [
        incoming.address,
        existing.address,
        *existing.previous_addresses,
        *incoming.previous_addresses,
    ]
    seen: set[tuple[str, ...]] = set()
    previous: list[PostalAddress] = []
    for address in addresses[1:]:
        key = (*address.lines, address.postcode.replace(" ", "").upper())
        current_key = (*incoming.address.lines, incoming.address.postcode.replace(" ", "").upper())
        if key in seen or key == current_key:
            continue
        seen.add(key)
        previous.append(address)
    return existing.model_copy(
        update={
            "address": incoming.address,
            "previous_addresses": previous,
            "references": {**existing.references, **incoming.references},
            "date_of_birth": existing.date_of_birth or incoming.date_of_birth,
            "email": incoming.email or existing.email,
            "phone": incoming.phone or existing.phone,
        }
    )


def account_reference(debt_type: str, parties: list[LiableParty]) -> str | None:
    """The account a debt is billed to, when the liable party carries one for its type."""
    key = ACCOUNT_REFERENCE_BY_DEBT_TYPE.get(debt_type)
    for party in parties:
        if key and party.references.get(key):
            return party.references[key]
    return None
