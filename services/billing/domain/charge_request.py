"""Validating a 'charge requested' message from a council system before any debt is raised.

A request is refused whole, with every reason at once, so the requesting system can fix it in one go and
nothing is half-applied.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.billing.domain.billing_rules import BillingRules
from services.billing.domain.customer_identity import Address, PartyKind
from services.billing.domain.debt_types import DebtType, parse_debt_type
from shared.money import Pence, format_pounds


@dataclass(frozen=True)
class LiabilityParty:
    """The person or body liable to pay, as the requesting system names them."""

    kind: PartyKind
    forenames: str = ""
    surname: str = ""
    organisation_name: str = ""
    address: Address | None = None


@dataclass(frozen=True)
class ChargeRequest:
    """A request from a council system (the originating service) to raise a debt.

    `debt_type` is kept as received so an unknown type can be refused by name.
    """

    external_reference: str
    originating_service: str
    debt_type: str
    amount_pence: Pence
    liability_party: LiabilityParty | None
    liability_date: date | None = None
    income_code: str = ""
    evidence_reference: str = ""
    legally_required: bool = False


class RefusalCode(StrEnum):
    """Why a charge request was refused; stable codes for the requesting system to act on."""

    MISSING_EXTERNAL_REFERENCE = "missing_external_reference"
    DUPLICATE_EXTERNAL_REFERENCE = "duplicate_external_reference"
    MISSING_ORIGINATING_SERVICE = "missing_originating_service"
    UNKNOWN_DEBT_TYPE = "unknown_debt_type"
    NON_POSITIVE_AMOUNT = "non_positive_amount"
    BELOW_MINIMUM = "below_minimum"
    MISSING_LIABILITY_PARTY = "missing_liability_party"
    INCOMPLETE_NAME = "incomplete_name"
    MISSING_POSTCODE = "missing_postcode"


@dataclass(frozen=True)
class ChargeRefusal:
    """One reason a charge request cannot be raised, in words the requesting service can act on."""

    code: RefusalCode
    reason: str


def _is_initial_only(forenames: str) -> bool:
    words = re.sub(r"[^A-Za-z ]", " ", forenames).split()
    return not words or all(len(w) == 1 for w in words)


def _party_refusals(party: LiabilityParty | None, rules: BillingRules) -> list[ChargeRefusal]:
    if party is None:
        return [
            ChargeRefusal(RefusalCode.MISSING_LIABILITY_PARTY, "no liable person or organisation is named")
        ]
    if party.kind is PartyKind.PERSON:
        if not party.surname.strip():
            return [ChargeRefusal(RefusalCode.MISSING_LIABILITY_PARTY, "the liable person has no surname")]
    elif not party.organisation_name.strip():
        return [ChargeRefusal(RefusalCode.MISSING_LIABILITY_PARTY, "the liable organisation has no name")]
    if not rules.require_full_name_and_postcode:
        return []
    refusals = []
    if party.kind is PartyKind.PERSON and _is_initial_only(party.forenames):
        refusals.append(
            ChargeRefusal(
                RefusalCode.INCOMPLETE_NAME, "the liable person's first name is required, not initials"
            )
        )
    if party.address is None or not party.address.normalised_postcode:
        refusals.append(
            ChargeRefusal(RefusalCode.MISSING_POSTCODE, "the liable party's address has no postcode")
        )
    return refusals


def validate_charge_request(
    request: ChargeRequest,
    rules: BillingRules,
    already_raised_references: Collection[str] = (),
) -> list[ChargeRefusal]:
    """Every reason `request` cannot be raised (an empty list means it may be).

    `already_raised_references` are the external references billing already holds for the same originating
    service, so a resent request is refused as a duplicate rather than raised twice.
    """
    refusals: list[ChargeRefusal] = []
    if not request.external_reference.strip():
        refusals.append(
            ChargeRefusal(RefusalCode.MISSING_EXTERNAL_REFERENCE, "the request carries no external reference")
        )
    elif request.external_reference in already_raised_references:
        refusals.append(
            ChargeRefusal(
                RefusalCode.DUPLICATE_EXTERNAL_REFERENCE,
                f"a debt with external reference {request.external_reference!r} has already been raised",
            )
        )
    if not request.originating_service.strip():
        refusals.append(
            ChargeRefusal(RefusalCode.MISSING_ORIGINATING_SERVICE, "the originating service is not named")
        )
    if parse_debt_type(request.debt_type) is None:
        known = ", ".join(t.value for t in DebtType)
        refusals.append(
            ChargeRefusal(
                RefusalCode.UNKNOWN_DEBT_TYPE,
                f"unknown debt type {request.debt_type!r}; known types: {known}",
            )
        )
    if request.amount_pence <= 0:
        refusals.append(
            ChargeRefusal(
                RefusalCode.NON_POSITIVE_AMOUNT,
                f"the amount must be more than nil; {format_pounds(request.amount_pence)} was requested",
            )
        )
    elif request.amount_pence < rules.minimum_charge_pence and not request.legally_required:
        refusals.append(
            ChargeRefusal(
                RefusalCode.BELOW_MINIMUM,
                f"{format_pounds(request.amount_pence)} is under the council's minimum charge of "
                f"{format_pounds(rules.minimum_charge_pence)} and the request is not flagged as "
                "legally required",
            )
        )
    refusals.extend(_party_refusals(request.liability_party, rules))
    return refusals
