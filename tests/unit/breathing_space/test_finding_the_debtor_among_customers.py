"""Matching the notified debtor to council customers: exact applies at once, possible goes to an officer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.breathing_space.domain.customer_matching import (
    CustomerAddress,
    CustomerProjection,
    MatchKind,
    match_debtor,
)

from .notification_documents import notification

NOTIFIED = notification("new_standard_breathing_space", "N1", start_date=date(2025, 3, 1))
DEBTOR, DEBTS = NOTIFIED.debtor, NOTIFIED.debts

JOANNE = CustomerProjection(
    customer_id="C-1",
    forenames="JOANNE",
    surname="Fletcher",
    date_of_birth=date(1984, 7, 19),
    current_address=CustomerAddress(("14 Abbey St",), "de223sj"),
)
NEIGHBOUR = CustomerProjection(
    customer_id="C-2",
    forenames="Peter",
    surname="Jones",
    date_of_birth=date(1970, 1, 1),
    current_address=CustomerAddress(("16 Abbey Street",), "DE22 3SJ"),
)


def test_one_customer_matching_name_birth_date_and_postcode_is_an_exact_match_applied_at_once() -> None:
    outcome = match_debtor(DEBTOR, DEBTS, [NEIGHBOUR, JOANNE])
    assert outcome.kind is MatchKind.EXACT
    assert outcome.customer_ids_to_apply == ("C-1",)
    assert "date of birth matches" in outcome.candidates[0].reasons


def test_a_customer_found_under_a_previous_surname_and_address_matches() -> None:
    married = replace(JOANNE, surname="Wainwright", current_address=CustomerAddress(("Flat 2",), "DE1 2HR"))
    outcome = match_debtor(DEBTOR, DEBTS, [married])
    assert outcome.kind is MatchKind.EXACT


def test_a_matching_account_reference_stands_in_for_the_address() -> None:
    moved = replace(
        JOANNE,
        current_address=CustomerAddress(("1 Elsewhere",), "NG1 1AA"),
        references=frozenset({"CT 40012345"}),
    )
    outcome = match_debtor(DEBTOR, DEBTS, [moved])
    assert outcome.kind is MatchKind.EXACT
    assert "a notified debt reference belongs to this customer" in outcome.candidates[0].reasons


def test_a_different_date_of_birth_is_never_an_exact_match() -> None:
    outcome = match_debtor(DEBTOR, DEBTS, [replace(JOANNE, date_of_birth=date(1984, 12, 7))])
    assert outcome.kind is not MatchKind.EXACT
    assert outcome.customer_ids_to_apply == ()


def test_a_day_month_transposition_is_queued_not_applied() -> None:
    debtor = DEBTOR.model_copy(update={"date_of_birth": date(1984, 7, 9)})
    customer = replace(JOANNE, date_of_birth=date(1984, 9, 7))
    outcome = match_debtor(debtor, DEBTS, [customer])
    assert outcome.kind is MatchKind.POSSIBLE
    assert outcome.customer_ids_to_apply == ()
    assert "date of birth matches with day and month transposed" in outcome.candidates[0].reasons


def test_an_initial_instead_of_a_forename_is_only_possible() -> None:
    outcome = match_debtor(DEBTOR, DEBTS, [replace(JOANNE, forenames="J")])
    assert outcome.kind is MatchKind.POSSIBLE
    assert outcome.candidates[0].customer_id == "C-1"


def test_two_customers_matching_exactly_are_never_merged_silently() -> None:
    duplicate = replace(JOANNE, customer_id="C-9")
    outcome = match_debtor(DEBTOR, DEBTS, [JOANNE, duplicate])
    assert outcome.kind is MatchKind.POSSIBLE
    assert {c.customer_id for c in outcome.candidates} == {"C-1", "C-9"}
    assert outcome.customer_ids_to_apply == ()


def test_nobody_alike_is_no_match() -> None:
    outcome = match_debtor(DEBTOR, DEBTS, [NEIGHBOUR])
    assert outcome.kind is MatchKind.NONE
    assert outcome.candidates == ()


def test_reasons_never_quote_personal_data() -> None:
    outcome = match_debtor(DEBTOR, DEBTS, [JOANNE, NEIGHBOUR])
    text = " ".join(r for c in outcome.candidates for r in c.reasons) + outcome.explanation
    for personal in ("Fletcher", "Joanne", "DE22", "1984", "Abbey"):
        assert personal.lower() not in text.lower()
