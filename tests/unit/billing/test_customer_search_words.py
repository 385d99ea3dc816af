"""An officer finds a resident however the name, postcode or reference is typed."""

from __future__ import annotations

import pytest

from services.billing.domain.customer_identity import (
    Address,
    CustomerIdentity,
    PartyKind,
)
from services.billing.domain.customer_search import (
    MatchedOn,
    customer_search_words,
    looks_like_postcode,
    matched_by_reference,
    matched_by_words,
    reference_search_keys,
    search_query,
    search_words,
)

MARGARET = CustomerIdentity(
    kind=PartyKind.PERSON,
    forenames="Margaret Ann",
    surname="O'Brien-Hollis",
    addresses=(
        Address(("12 Friar Gate", "Derby"), "DE1 1FS"),
        Address(("3 Old Road", "Nottingham"), "ng1 1aa"),
    ),
)


def test_names_are_compared_without_case_punctuation_or_word_order():
    assert search_words("O'BRIEN-HOLLIS, margaret") == search_words("margaret obrien hollis")
    assert set(search_query("hollis margaret").words) <= set(customer_search_words(MARGARET))


def test_an_organisation_is_found_as_limited_or_ltd_with_or_without_the():
    assert search_words("The Acme Trading Limited") == search_words("ACME TRADING LTD.")


def test_every_postcode_the_customer_is_known_at_is_found_whole_or_in_halves():
    words = set(customer_search_words(MARGARET))
    assert {"DE11FS", "DE1", "1FS", "NG11AA", "NG1", "1AA"} <= words
    for typed in ("de1 1fs", "DE11FS", "ng1 1AA"):
        assert set(search_query(typed).words) <= words


def test_a_postcode_query_matches_on_the_postcode_a_name_query_on_the_name():
    assert matched_by_words(search_query("de11fs"), MARGARET) is MatchedOn.POSTCODE
    assert matched_by_words(search_query("Hollis Margaret"), MARGARET) is MatchedOn.NAME
    assert matched_by_words(search_query("friar gate"), MARGARET) is MatchedOn.ADDRESS
    assert matched_by_words(search_query("Hollis DE1 1FS"), MARGARET) is MatchedOn.NAME_AND_ADDRESS


def test_a_reference_is_searched_as_every_kind_of_reference_without_spaces_or_hyphens():
    keys = reference_search_keys("ab 12 34 56 c")
    assert "ni_number:AB123456C" in keys and "council_tax_account:AB123456C" in keys
    assert matched_by_reference(search_query("AB123456C"), ("ni_number:AB123456C",)) is MatchedOn.NI_NUMBER
    assert (
        matched_by_reference(search_query("ct-000123"), ("council_tax_account:CT000123",))
        is MatchedOn.ACCOUNT_REFERENCE
    )


def test_a_query_of_punctuation_alone_searches_nothing():
    with pytest.raises(ValueError, match="no letters or digits"):
        search_query(" -- ")


def test_only_a_whole_postcode_is_a_postcode():
    assert looks_like_postcode("de1 1fs") and looks_like_postcode("SW1A1AA")
    assert not looks_like_postcode("DE1") and not looks_like_postcode("000123")
