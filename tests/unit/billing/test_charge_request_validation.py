"""Charge requests from council systems are refused, with every reason, when they cannot be raised."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.billing.domain.billing_rules import BillingRules
from services.billing.domain.charge_request import (
    ChargeRequest,
    LiabilityParty,
    RefusalCode,
    validate_charge_request,
)
from services.billing.domain.customer_identity import Address, PartyKind

RULES = BillingRules()
PERSON = LiabilityParty(
    PartyKind.PERSON, "Amelia", "Okafor", address=Address(("1 High St", "Derby"), "DE1 2FS")
)
GOOD = ChargeRequest(
    external_reference="HALLHIRE-0042",
    originating_service="leisure",
    debt_type="sundry",
    amount_pence=12_500,
    liability_party=PERSON,
    liability_date=date(2024, 5, 1),
    income_code="L123",
    evidence_reference="booking-form-42",
)


def _codes(
    request: ChargeRequest, rules: BillingRules = RULES, raised: tuple[str, ...] = ()
) -> set[RefusalCode]:
    return {r.code for r in validate_charge_request(request, rules, raised)}


def test_a_complete_request_is_accepted() -> None:
    assert validate_charge_request(GOOD, RULES) == []


def test_a_negative_or_nil_amount_is_refused() -> None:
    assert _codes(replace(GOOD, amount_pence=-500)) == {RefusalCode.NON_POSITIVE_AMOUNT}
    assert _codes(replace(GOOD, amount_pence=0)) == {RefusalCode.NON_POSITIVE_AMOUNT}


def test_an_unknown_debt_type_is_refused_by_name() -> None:
    refusals = validate_charge_request(replace(GOOD, debt_type="water_rates"), RULES)
    assert [r.code for r in refusals] == [RefusalCode.UNKNOWN_DEBT_TYPE]
    assert "water_rates" in refusals[0].reason


def test_a_request_without_a_liable_party_is_refused() -> None:
    assert _codes(replace(GOOD, liability_party=None)) == {RefusalCode.MISSING_LIABILITY_PARTY}
    nameless = LiabilityParty(PartyKind.ORGANISATION, address=Address((), "DE1 2FS"))
    assert _codes(replace(GOOD, liability_party=nameless)) == {RefusalCode.MISSING_LIABILITY_PARTY}


def test_a_charge_under_the_minimum_is_refused_unless_legally_required() -> None:
    small = replace(GOOD, amount_pence=999)
    assert _codes(small) == {RefusalCode.BELOW_MINIMUM}
    assert _codes(replace(small, legally_required=True)) == set()
    assert _codes(replace(GOOD, amount_pence=1_000)) == set()
    assert _codes(small, BillingRules(minimum_charge_pence=500)) == set()


def test_initials_and_a_missing_postcode_are_refused_where_the_council_requires_full_details() -> None:
    initials = replace(PERSON, forenames="A. J.", address=Address(("1 High St",), ""))
    request = replace(GOOD, liability_party=initials)
    assert _codes(request) == {RefusalCode.INCOMPLETE_NAME, RefusalCode.MISSING_POSTCODE}
    assert _codes(request, BillingRules(require_full_name_and_postcode=False)) == set()


def test_a_duplicate_external_reference_is_refused() -> None:
    assert _codes(GOOD, raised=("HALLHIRE-0042",)) == {RefusalCode.DUPLICATE_EXTERNAL_REFERENCE}


def test_every_reason_is_given_at_once() -> None:
    bad = ChargeRequest("", "", "nonsense", -1, None)
    assert _codes(bad) == {
        RefusalCode.MISSING_EXTERNAL_REFERENCE,
        RefusalCode.MISSING_ORIGINATING_SERVICE,
        RefusalCode.UNKNOWN_DEBT_TYPE,
        RefusalCode.NON_POSITIVE_AMOUNT,
        RefusalCode.MISSING_LIABILITY_PARTY,
    }
