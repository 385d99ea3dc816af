"""How a liable party becomes a customer record (search keys, amendments) and how a reduction comes off a
debt (latest line first)."""

from __future__ import annotations

from datetime import date

import pytest

from services.billing.domain.customer_identity import identity_adds_to, match_identity, matching_keys
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.domain.debt_types import DebtType
from services.billing.parties import account_reference, amended_party, customer_identity
from shared.contracts.council_systems import LiableParty, PostalAddress

from .positions import debt


def margaret(**overrides) -> LiableParty:
    values = dict(
        kind="person",
        first_names="Margaret Ann",
        surname="O'Hollis-Smith",
        date_of_birth=date(1961, 3, 14),
        address=PostalAddress(lines=["12 Friar Gate", "Derby"], postcode="de1 1fs"),
        references={"council_tax_account": "ct-0012 34", "hb_claim": "HB77"},
    )
    values.update(overrides)
    return LiableParty(**values)


def test_search_keys_are_normalised_exactly_as_matching_compares_them() -> None:
    keys = matching_keys(customer_identity(margaret()))
    assert keys.surname_key == "OHOLLIS SMITH"
    assert keys.postcodes == ("DE11FS",)
    assert keys.reference_keys == ("council_tax_account:CT001234", "housing_benefit_claim:HB77")
    assert keys.organisation_key is None


def test_the_contracts_reference_names_are_read_in_the_domains_vocabulary() -> None:
    identity = customer_identity(
        margaret(references={"hb_claim": "HB77", "customer_number": "S1", "pet": "x"})
    )
    assert {r.kind.value for r in identity.references} == {"housing_benefit_claim", "sundry_customer"}


def test_a_linked_party_with_a_new_address_amends_the_record_and_keeps_the_old_address() -> None:
    known = margaret()
    moved = margaret(
        address=PostalAddress(lines=["3 Iron Gate"], postcode="DE1 3GP"), references={"ni_number": "QQ1"}
    )
    assert identity_adds_to(customer_identity(moved), customer_identity(known))
    amended = amended_party(known, moved)
    assert amended.address.postcode == "DE1 3GP"
    assert [a.postcode for a in amended.previous_addresses] == ["de1 1fs"]
    assert amended.references == {"council_tax_account": "ct-0012 34", "hb_claim": "HB77", "ni_number": "QQ1"}
    # Still the same person to the matcher after the amendment.
    assert match_identity(customer_identity(moved), customer_identity(amended)).outcome.value == "exact"


def test_nothing_new_means_no_amendment() -> None:
    assert not identity_adds_to(customer_identity(margaret()), customer_identity(margaret()))


def test_the_account_a_debt_is_billed_to_comes_from_the_reference_for_its_type() -> None:
    assert account_reference("council_tax", [margaret()]) == "ct-0012 34"
    assert account_reference("housing_benefit_overpayment", [margaret()]) == "HB77"
    assert account_reference("sundry", [margaret()]) is None


def test_a_reduction_comes_off_the_latest_unpaid_lines_first() -> None:
    position = debt(
        "ct",
        DebtType.COUNCIL_TAX,
        2026,
        (date(2026, 4, 1), 0),
        (date(2026, 5, 1), 100_00),
        (date(2026, 6, 1), 100_00),
    )
    reductions = reductions_latest_first(position, 150_00)
    assert [(r.number, r.amount_pence) for r in reductions] == [(3, 100_00), (2, 50_00)]


def test_a_reduction_beyond_what_is_outstanding_is_refused() -> None:
    position = debt("s", DebtType.SUNDRY, 2026, (date(2026, 5, 1), 30_00))
    with pytest.raises(ValueError):
        reductions_latest_first(position, 30_01)
