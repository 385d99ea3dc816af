"""What an approver reads of each debtor on a schedule (issue 15): the name, the account reference the council
knows the debt by, how long it has been owed; and what a search for a person matches."""

from __future__ import annotations

from datetime import date

from services.writeoff.domain.debtors import (
    account_reference,
    debt_age,
    debtor_name,
    search_text,
    search_words,
)
from services.writeoff.web.views import debtor_view, single_view_url


def test_a_person_is_named_with_title_and_full_name_and_an_organisation_by_its_name() -> None:
    assert debtor_name("person", "Ms", "Alice Mary", "Atkinson", None) == "Ms Alice Mary Atkinson"
    assert debtor_name("organisation", None, None, None, "Friar Gate Bakery Ltd") == "Friar Gate Bakery Ltd"


def test_a_council_tax_debt_is_known_by_the_council_tax_account() -> None:
    references = {"council_tax_account": "CT100042", "customer_number": "C-7"}
    assert account_reference("council_tax", references, "CTBILL-42") == "CT100042"


def test_a_sundry_debt_is_known_by_its_invoice_number() -> None:
    assert account_reference("sundry", {"council_tax_account": "CT100042"}, "INV-2025-881") == "INV-2025-881"


def test_a_debt_is_aged_from_when_it_fell_due_in_years_and_months() -> None:
    assert debt_age(date(2024, 8, 1), date(2026, 11, 23)) == "2 years 3 months"
    assert debt_age(date(2025, 11, 23), date(2026, 11, 23)) == "1 year"
    assert debt_age(date(2026, 11, 1), date(2026, 11, 23)) == "22 days"
    assert debt_age(date(2026, 12, 1), date(2026, 11, 23)) == "not yet due"
    assert debt_age(None, date(2026, 11, 23)) == ""


def test_a_line_links_to_the_debtors_single_view_on_the_workbench() -> None:
    assert (
        single_view_url("https://workbench.derby.gov.uk/", "c-1")
        == "https://workbench.derby.gov.uk/customers/c-1"
    )
    unknown = debtor_view("c-1", "sundry", None, None, date(2026, 11, 23), "http://127.0.0.1:8090")
    assert unknown["name"] == "" and unknown["single_view_url"] == "http://127.0.0.1:8090/customers/c-1"


def test_a_person_is_found_by_any_word_of_name_postcode_or_reference() -> None:
    text = search_text(
        "Ms Alice Atkinson", "DE1 2AB", "4 Friar Gate, Derby", {"council_tax_account": "CT100042"}
    )
    for query in ("atkinson", "de1 2ab", "DE12AB", "ct100042", "Alice Friar"):
        assert all(word in text for word in search_words(query)), query
    assert not all(word in text for word in search_words("Alice Begum"))


def test_a_one_letter_search_matches_nobody_rather_than_everybody() -> None:
    assert search_words("a") == []
