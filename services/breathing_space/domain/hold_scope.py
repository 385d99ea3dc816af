"""What a hold protects on each debt: the moratorium debt (the arrears owed when the person applied) as against
the ongoing liabilities that go on falling due, and what the council may do against a joint debtor who did not
apply.

The Debt Respite Scheme (Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales)
Regulations 2020, reg 6: a moratorium debt is a qualifying debt owed at the point the application was made. The
government's guidance for creditors: amounts that fall due after the start for the period after it (council tax,
business rates and rent instalments, for example) are ongoing liabilities; the person must keep paying them
(reg 16(2)(b)), they are not frozen, and the creditor may contact them about them and collect them as usual.
Statements the law requires are still sent. Everything here is a council setting (`breathing_space.yaml`,
`scope:`), defaulting to that reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

ONGOING_LIABILITY_DEBT_TYPES = frozenset({"council_tax", "business_rates", "housing_rent"})
"""Debt types whose instalments keep falling due for the period they cover (the guidance's examples: council tax
and rent). An instalment of any other debt (a sundry invoice paid by arrangement, an overpayment) repays a debt
owed at the application date, so the whole of it is protected."""


class OtherPartiesPolicy(StrEnum):
    """What the council may do against a joint debtor who did not apply (a council setting)."""

    MAY_BE_PURSUED = "may_be_pursued"
    """The guidance: the protections are the applicant's only; the council may pursue the other liable party for
    the debt (without contacting the person in breathing space about it)."""
    HELD_AS_FOR_THE_APPLICANT = "held_as_for_the_applicant"
    """A council that chooses to hold the whole debt against every liable party for the moratorium."""


OTHER_PARTIES_WHY: dict[OtherPartiesPolicy, str] = {
    OtherPartiesPolicy.MAY_BE_PURSUED: (
        "the breathing space protects only the person who applied (Debt Respite Scheme regulations 2020; "
        "creditor guidance on joint debts); the other liable party is not in it and may be pursued, without "
        "contact with the person in breathing space about the debt"
    ),
    OtherPartiesPolicy.HELD_AS_FOR_THE_APPLICANT: (
        "council policy: a joint debt is held against every liable party while one of them is in breathing "
        "space (more than the regulations require)"
    ),
}


@dataclass(frozen=True)
class ScopeRules:
    """The council's reading of the scope (defaults: the regulations and the creditor guidance)."""

    ongoing_liability_debt_types: frozenset[str] = ONGOING_LIABILITY_DEBT_TYPES
    other_parties: OtherPartiesPolicy = OtherPartiesPolicy.MAY_BE_PURSUED


@dataclass(frozen=True)
class Instalment:
    """One sum of a debt's schedule, as billing raised it."""

    due_date: date
    amount_pence: int


@dataclass(frozen=True)
class DebtScope:
    """What the hold protects on one debt.

    `protected_up_to`: every sum of the debt that fell due on or before this day is moratorium debt (no
    enforcement, no contact about it, interest, fees and charges frozen). It is the moratorium's start: the arrears
    owed at the application date, and any sum falling due between the application and the start, which is not
    'for the period after the start' and so is read as protected (the reading that protects the debtor).
    `ongoing_liabilities_pence`: what the schedule makes fall due after that day (0 when nothing does): not
    frozen, collected and chased as usual."""

    protected_up_to: date
    ongoing_liabilities_pence: int
    ongoing_from: date | None
    """The first due date of an ongoing liability, None when there is none."""


def debt_scope(
    *, debt_type: str, instalments: Sequence[Instalment], starts_on: date, rules: ScopeRules
) -> DebtScope:
    """The scope of one held debt: for a debt type with ongoing liabilities, the instalments falling due after the
    start are ongoing; for any other debt (or one without a schedule) the whole debt is protected."""
    if debt_type not in rules.ongoing_liability_debt_types:
        return DebtScope(protected_up_to=starts_on, ongoing_liabilities_pence=0, ongoing_from=None)
    later = sorted((i for i in instalments if i.due_date > starts_on), key=lambda i: i.due_date)
    return DebtScope(
        protected_up_to=starts_on,
        ongoing_liabilities_pence=sum(i.amount_pence for i in later),
        ongoing_from=later[0].due_date if later else None,
    )


def is_protected_sum(due_date: date, scope: DebtScope) -> bool:
    """Whether a sum of a held debt falling due on `due_date` is in the breathing space (else: ongoing)."""
    return due_date <= scope.protected_up_to


@dataclass(frozen=True)
class OtherParties:
    """On a joint debt: the liable customers who did not apply, what the council's policy lets recovery do against
    them, and why (recorded with every action on the debt)."""

    customer_ids: tuple[str, ...]
    policy: OtherPartiesPolicy | None
    why: str | None


def other_parties(not_protected: Iterable[str], rules: ScopeRules) -> OtherParties:
    """The other liable parties of a held debt and the council's policy for them (none: not a joint debt)."""
    others = tuple(not_protected)
    if not others:
        return OtherParties((), None, None)
    return OtherParties(others, rules.other_parties, OTHER_PARTIES_WHY[rules.other_parties])
