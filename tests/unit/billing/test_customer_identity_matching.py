"""Customers are matched across debt types; uncertain matches go to a person, never merged silently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.billing.domain.customer_identity import (
    Address,
    CustomerAction,
    CustomerIdentity,
    MatchOutcome,
    PartyKind,
    Reference,
    ReferenceKind,
    decide_customer,
    match_identity,
)

AMELIA = CustomerIdentity(
    PartyKind.PERSON,
    forenames="Amelia Grace",
    surname="Okafor",
    date_of_birth=date(1980, 2, 14),
    addresses=(Address(("1 High St", "Derby"), "DE1 2FS"),),
    references=(
        Reference(ReferenceKind.COUNCIL_TAX_ACCOUNT, "CT-1001"),
        Reference(ReferenceKind.NI_NUMBER, "QQ 12 34 56 C"),
    ),
)


def test_name_date_of_birth_and_postcode_together_are_an_exact_match() -> None:
    incoming = CustomerIdentity(
        PartyKind.PERSON,
        "AMELIA",
        "okafor",
        date_of_birth=date(1980, 2, 14),
        addresses=(Address((), "de12fs"),),
    )
    match = match_identity(incoming, AMELIA)
    assert match.outcome is MatchOutcome.EXACT
    assert "same postcode" in match.reasons and "same date of birth" in match.reasons


def test_a_shared_reference_with_the_same_name_is_exact_across_debt_types() -> None:
    # The housing system knows her by NI number only, at a new address.
    incoming = CustomerIdentity(
        PartyKind.PERSON,
        "Amelia",
        "Okafor",
        addresses=(Address((), "NG1 1AA"),),
        references=(Reference(ReferenceKind.NI_NUMBER, "qq123456c"), Reference(ReferenceKind.TENANCY, "T-9")),
    )
    match = match_identity(incoming, AMELIA)
    assert match.outcome is MatchOutcome.EXACT
    assert any("ni number" in r for r in match.reasons)


def test_a_joint_council_tax_account_holder_with_another_name_is_only_possible() -> None:
    partner = CustomerIdentity(
        PartyKind.PERSON,
        "Daniel",
        "Okafor",
        date_of_birth=date(1978, 7, 1),
        references=(Reference(ReferenceKind.COUNCIL_TAX_ACCOUNT, "CT-1001"),),
    )
    match = match_identity(partner, AMELIA)
    assert match.outcome is MatchOutcome.POSSIBLE
    assert match.needs_review
    assert "different dates of birth" in match.reasons


def test_a_different_ni_number_means_a_different_person_despite_the_same_name() -> None:
    incoming = replace(AMELIA, references=(Reference(ReferenceKind.NI_NUMBER, "AB 99 99 99 A"),))
    match = match_identity(incoming, AMELIA)
    assert match.outcome is MatchOutcome.NONE
    assert "different ni number" in match.reasons


def test_an_initial_with_the_same_date_of_birth_is_possible_not_exact() -> None:
    incoming = CustomerIdentity(PartyKind.PERSON, "A", "Okafor", date_of_birth=date(1980, 2, 14))
    assert match_identity(incoming, AMELIA).outcome is MatchOutcome.POSSIBLE


def test_same_name_at_the_same_postcode_without_a_date_of_birth_is_possible() -> None:
    # Could be a parent and child of the same name.
    incoming = CustomerIdentity(PartyKind.PERSON, "Amelia", "Okafor", addresses=(Address((), "DE1 2FS"),))
    assert match_identity(incoming, AMELIA).outcome is MatchOutcome.POSSIBLE


def test_a_stranger_does_not_match() -> None:
    incoming = CustomerIdentity(PartyKind.PERSON, "Tom", "Price", addresses=(Address((), "DE1 2FS"),))
    assert match_identity(incoming, AMELIA).outcome is MatchOutcome.NONE


def test_organisations_match_on_a_shared_reference_and_name_and_are_never_persons() -> None:
    acme = CustomerIdentity(
        PartyKind.ORGANISATION,
        organisation_name="Acme Widgets Limited",
        addresses=(Address((), "DE1 1AA"),),
        references=(Reference(ReferenceKind.NNDR_ACCOUNT, "NNDR-77"),),
    )
    same = CustomerIdentity(
        PartyKind.ORGANISATION,
        organisation_name="ACME WIDGETS LTD.",
        references=(Reference(ReferenceKind.NNDR_ACCOUNT, "nndr 77"),),
    )
    no_ref = CustomerIdentity(
        PartyKind.ORGANISATION, organisation_name="Acme Widgets Ltd", addresses=(Address((), "DE1 1AA"),)
    )
    assert match_identity(same, acme).outcome is MatchOutcome.EXACT
    assert match_identity(no_ref, acme).outcome is MatchOutcome.POSSIBLE
    assert match_identity(AMELIA, acme).outcome is MatchOutcome.NONE


def test_a_single_exact_match_is_linked_and_anything_uncertain_goes_for_review() -> None:
    exact = CustomerIdentity(
        PartyKind.PERSON,
        "Amelia",
        "Okafor",
        date_of_birth=date(1980, 2, 14),
        addresses=(Address((), "DE1 2FS"),),
    )
    stranger = CustomerIdentity(PartyKind.PERSON, "Tom", "Price")

    linked = decide_customer(exact, [("c1", AMELIA), ("c2", stranger)])
    assert (linked.action, linked.customer_id) == (CustomerAction.LINK, "c1")

    duplicate = decide_customer(exact, [("c1", AMELIA), ("c3", AMELIA)])
    assert (duplicate.action, duplicate.customer_id) == (CustomerAction.REVIEW, None)
    assert [m.customer_id for m in duplicate.matches] == ["c1", "c3"]

    initial = CustomerIdentity(PartyKind.PERSON, "A", "Okafor", date_of_birth=date(1980, 2, 14))
    assert decide_customer(initial, [("c1", AMELIA)]).action is CustomerAction.REVIEW

    assert decide_customer(stranger, [("c1", AMELIA)]).action is CustomerAction.CREATE
