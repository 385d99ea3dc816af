"""Finding the person in breathing space among the council's customers.

The council's customers come in as projections built from billing's events. Each candidate gets a
score and the reasons for it. One exact match is applied at once; anything less certain (including
two customers who both match exactly, which usually means a duplicate record in billing) goes to an
officer to confirm; nothing is merged silently and nothing waits without a reason.
Reasons never quote personal data, so they can be logged and shown on the status page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from services.breathing_space.domain.notifications import Address, Debtor, NotifiedDebt, normalise_postcode


@dataclass(frozen=True)
class CustomerAddress:
    """An address billing holds for a customer."""

    lines: tuple[str, ...]
    postcode: str


@dataclass(frozen=True)
class CustomerProjection:
    """What breathing space knows of one billing customer, for matching."""

    customer_id: str
    forenames: str
    surname: str
    date_of_birth: date | None
    current_address: CustomerAddress | None
    previous_addresses: tuple[CustomerAddress, ...] = ()
    previous_surnames: tuple[str, ...] = ()
    # Account numbers and debt references the council uses for this customer.
    references: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MatchingRules:
    """Points per agreeing detail and the thresholds; each council may tune them."""

    surname: int = 25
    forename: int = 20
    forename_initial: int = 8
    date_of_birth: int = 25
    date_of_birth_transposed: int = 10
    current_postcode: int = 20
    any_postcode: int = 12
    first_address_line: int = 5
    reference: int = 30
    date_of_birth_conflict: int = -30
    possible_threshold: int = 45


class MatchKind(StrEnum):
    """The three outcomes of matching."""

    EXACT = "exact"  # apply the hold at once
    POSSIBLE = "possible"  # queue for an officer to confirm
    NONE = "none"  # nobody found: the notified debts are still looked up by reference


@dataclass(frozen=True)
class CandidateMatch:
    """One customer who may be the debtor, with the score and why."""

    customer_id: str
    score: int
    reasons: tuple[str, ...]
    exact: bool


@dataclass(frozen=True)
class MatchOutcome:
    """The result of matching one debtor against the council's customers."""

    kind: MatchKind
    explanation: str
    candidates: tuple[CandidateMatch, ...] = field(default_factory=tuple)

    @property
    def customer_ids_to_apply(self) -> tuple[str, ...]:
        """The customers to hold at once (only for an exact match)."""
        return tuple(c.customer_id for c in self.candidates) if self.kind is MatchKind.EXACT else ()


def name_key(text: str) -> str:
    """A name as compared: letters only, case-folded. Systems differ in case, punctuation and spacing:
    "O'Brien" == "OBRIEN"."""
    return re.sub(r"[^a-z]", "", text.casefold())


_name = name_key


def _first_forename(forenames: str) -> str:
    parts = forenames.split()
    return _name(parts[0]) if parts else ""


def _line(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _reference(text: str) -> str:
    return re.sub(r"[\s\-/]", "", text).upper()


def _forename_points(debtor: Debtor, customer: CustomerProjection, rules: MatchingRules) -> tuple[int, str]:
    theirs, ours = _first_forename(debtor.forenames), _first_forename(customer.forenames)
    if theirs and theirs == ours:
        return rules.forename, "forename matches"
    one_is_initial = min(len(theirs), len(ours)) == 1
    if theirs and ours and one_is_initial and (theirs.startswith(ours) or ours.startswith(theirs)):
        return rules.forename_initial, "forename matches an initial only"
    return 0, ""


def _date_of_birth_points(
    debtor: Debtor, customer: CustomerProjection, rules: MatchingRules
) -> tuple[int, str]:
    theirs, ours = debtor.date_of_birth, customer.date_of_birth
    if ours is None:
        return 0, "council holds no date of birth"
    if theirs == ours:
        return rules.date_of_birth, "date of birth matches"
    if (theirs.year, theirs.month, theirs.day) == (ours.year, ours.day, ours.month):
        return rules.date_of_birth_transposed, "date of birth matches with day and month transposed"
    return rules.date_of_birth_conflict, "date of birth differs"


def _address_points(
    debtor: Debtor, customer: CustomerProjection, rules: MatchingRules
) -> tuple[int, list[str]]:
    ours = [a for a in (customer.current_address, *customer.previous_addresses) if a is not None]
    theirs: list[Address] = [debtor.current_address, *debtor.previous_addresses]
    our_postcodes = {normalise_postcode(a.postcode) for a in ours}
    if customer.current_address and normalise_postcode(customer.current_address.postcode) == (
        debtor.current_address.postcode
    ):
        points, reasons = rules.current_postcode, ["current postcode matches"]
    elif any(a.postcode in our_postcodes for a in theirs):
        points, reasons = rules.any_postcode, ["postcode matches a current or previous address"]
    else:
        return 0, []
    our_lines = {(normalise_postcode(a.postcode), _line(a.lines[0])) for a in ours if a.lines}
    if any((a.postcode, _line(a.lines[0])) in our_lines for a in theirs):
        points += rules.first_address_line
        reasons.append("first address line matches at that postcode")
    return points, reasons


def score_candidate(
    debtor: Debtor,
    notified_debts: Sequence[NotifiedDebt],
    customer: CustomerProjection,
    rules: MatchingRules = MatchingRules(),
) -> CandidateMatch:
    """Score one customer against the notified debtor and say why."""
    score, reasons = 0, []
    debtor_surnames = {_name(debtor.surname), *(_name(n.surname) for n in debtor.previous_names)}
    customer_surnames = {_name(customer.surname), *(_name(s) for s in customer.previous_surnames)}
    surname_agrees = bool(debtor_surnames & customer_surnames)
    if surname_agrees:
        score += rules.surname
        reasons.append("surname matches")
    forename, why = _forename_points(debtor, customer, rules)
    score += forename
    reasons += [why] if why else []
    birth, why = _date_of_birth_points(debtor, customer, rules)
    score += birth
    reasons.append(why)
    address, why_address = _address_points(debtor, customer, rules)
    score += address
    reasons += why_address
    our_references = {_reference(r) for r in customer.references}
    reference_agrees = any(_reference(d.creditor_reference) in our_references for d in notified_debts)
    if reference_agrees:
        score += rules.reference
        reasons.append("a notified debt reference belongs to this customer")
    exact = (
        surname_agrees
        and forename == rules.forename
        and birth == rules.date_of_birth
        and (address > 0 or reference_agrees)
    )
    return CandidateMatch(customer_id=customer.customer_id, score=score, reasons=tuple(reasons), exact=exact)


def match_debtor(
    debtor: Debtor,
    notified_debts: Sequence[NotifiedDebt],
    customers: Iterable[CustomerProjection],
    rules: MatchingRules = MatchingRules(),
) -> MatchOutcome:
    """Find the debtor among the council's customers: exact, possible (for an officer) or none."""
    scored = [score_candidate(debtor, notified_debts, c, rules) for c in customers]
    exact = [c for c in scored if c.exact]
    possible = sorted(
        (c for c in scored if c.exact or c.score >= rules.possible_threshold),
        key=lambda c: (-c.score, c.customer_id),
    )
    if len(exact) == 1:
        why = "one customer matches name, date of birth and address or reference"
        return MatchOutcome(MatchKind.EXACT, why, tuple(exact))
    if len(exact) > 1:
        return MatchOutcome(
            MatchKind.POSSIBLE,
            f"{len(exact)} customers match exactly; an officer decides whether they are one person",
            tuple(possible),
        )
    if possible:
        why = "no exact match; the closest customers need an officer to confirm"
        return MatchOutcome(MatchKind.POSSIBLE, why, tuple(possible))
    return MatchOutcome(MatchKind.NONE, "no customer scores above the threshold")
