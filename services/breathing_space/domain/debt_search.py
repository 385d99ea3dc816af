"""The search the regulations require (reg. 14): every debt the person owes the council, across all
debt types, not only the ones notified. Joint debts (several liable parties) are included: the
moratorium protects the debtor's liability for them, and only the debtor's (`joint_liability`). Debts found
beyond those notified are reported back to the Insolvency Service and covered by the hold too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from services.breathing_space.domain.notifications import NotifiedDebt
from shared.money import Pence


@dataclass(frozen=True)
class DebtProjection:
    """What breathing space knows of one debt, built from billing's events."""

    debt_reference: str
    debt_type: str
    liable_customer_ids: frozenset[str]
    balance_pence: Pence
    # Other references the debt is known by (council tax account, invoice number), for notified refs.
    other_references: frozenset[str] = frozenset()

    @property
    def is_joint(self) -> bool:
        """More than one person is liable for it."""
        return len(self.liable_customer_ids) > 1

    def known_as(self) -> frozenset[str]:
        """Every reference this debt answers to, normalised."""
        return frozenset(_reference(r) for r in (self.debt_reference, *self.other_references))


def reference_key(text: str) -> str:
    """A reference as compared: spaces, dashes and slashes dropped, upper case ('ct 400-123' -> 'CT400123')."""
    return re.sub(r"[\s\-/]", "", text).upper()


_reference = reference_key


@dataclass(frozen=True)
class DebtSearchResult:
    """What the search found for the matched customer(s)."""

    owed: tuple[DebtProjection, ...]
    notified_and_found: tuple[DebtProjection, ...]
    found_beyond_notified: tuple[DebtProjection, ...]
    notified_but_not_found: tuple[str, ...]

    @property
    def joint_debts(self) -> tuple[DebtProjection, ...]:
        """The owed debts someone else is liable for too."""
        return tuple(d for d in self.owed if d.is_joint)

    @property
    def debts_to_hold(self) -> tuple[DebtProjection, ...]:
        """Every owed debt: notified or found, the hold covers them all."""
        return self.owed


def search_every_debt(
    customer_ids: Iterable[str],
    debts: Iterable[DebtProjection],
    notified: Sequence[NotifiedDebt],
) -> DebtSearchResult:
    """Every debt with a balance owing for which any of the customers is liable, split by notified or not.

    A notified debt whose reference the council knows is held even when matching found nobody, so
    ``customer_ids`` may be empty and the notified references still find their debts.
    """
    people = frozenset(customer_ids)
    notified_refs = {_reference(d.creditor_reference): d.creditor_reference for d in notified}
    every = list(debts)
    owing = [d for d in every if d.balance_pence > 0]
    by_person = [d for d in owing if d.liable_customer_ids & people]
    by_reference = [d for d in owing if d.known_as() & notified_refs.keys()]
    seen: dict[str, DebtProjection] = {}
    for debt in [*by_person, *by_reference]:
        seen.setdefault(debt.debt_reference, debt)
    owed = tuple(sorted(seen.values(), key=lambda d: d.debt_reference))
    notified_and_found = tuple(d for d in owed if d.known_as() & notified_refs.keys())
    found_beyond = tuple(d for d in owed if not d.known_as() & notified_refs.keys())
    known_anywhere = frozenset().union(*(d.known_as() for d in every)) if every else frozenset()
    # Notified but unknown (or already paid): the officer checks; nothing is reported back for them.
    missing = tuple(sorted(original for ref, original in notified_refs.items() if ref not in known_anywhere))
    return DebtSearchResult(
        owed=owed,
        notified_and_found=notified_and_found,
        found_beyond_notified=found_beyond,
        notified_but_not_found=missing,
    )


def is_moratorium_debt(*, raised_on: date | None, application_date: date, notified: bool) -> bool:
    """Whether a debt the search found is a moratorium debt, to be held: one owed at the date the debtor
    applied (the Debt Respite Scheme regulations 2020, reg 6 and the creditor guidance), so raised on or before
    that day, whenever the council searched or learnt of it. A debt raised after it is an ongoing liability: not
    held, and lawful contact about it goes on. A debt the Insolvency Service notified is in the moratorium by its
    notification. A debt whose raising date is not known yet counts as owed (the debtor is not left unprotected
    on a gap in what billing has said)."""
    return notified or raised_on is None or raised_on <= application_date


@dataclass(frozen=True)
class JointLiability:
    """Who a held debt's protection covers: the applicant's liable records, and the other liable parties, who
    are not in the breathing space."""

    protected: tuple[str, ...]
    not_protected: tuple[str, ...]


def joint_liability(debt: DebtProjection, applicant_ids: Iterable[str]) -> JointLiability:
    """The protection is the applicant's: on a joint debt the debt is held as the applicant's liability, and a
    joint debtor who did not apply is not in the breathing space (DOMAIN.md 7; the government's breathing space
    guidance for creditors, on joint debts: the protections apply only to the person in breathing space, and
    the creditor may continue to pursue the other party; what the council does against them is its policy).
    Until the applicant is identified among the liable parties (no match yet, the debt held by its notified
    reference) nobody is named unprotected: the council cannot yet tell the applicant from the others."""
    applicants = frozenset(applicant_ids)
    liable = sorted(debt.liable_customer_ids)
    protected = tuple(c for c in liable if c in applicants)
    if not protected:
        return JointLiability(protected=(), not_protected=())
    return JointLiability(protected=protected, not_protected=tuple(c for c in liable if c not in applicants))


def as_notified_debts(debts: Iterable[DebtProjection]) -> list[NotifiedDebt]:
    """The debts in the notification format, for the 'debts reported back' message."""
    return [
        NotifiedDebt(creditor_reference=d.debt_reference, debt_type=d.debt_type, amount_pence=d.balance_pence)
        for d in debts
    ]


def considered_by_search(
    *,
    closed: str | None,
    external_reference: str | None,
    liable_customer_ids: Iterable[str],
    matched_customer_ids: Iterable[str],
    notified_reference_keys: Iterable[str],
) -> bool:
    """Whether the search looks at a debt at all: still open (not settled, cancelled or written off), raised
    (its reference is known, not only a balance), and owed by a matched customer or known by a notified
    reference. `search_every_debt` then keeps those with money owing. SQL twin: `stores.debts.CONSIDERED_BY_SEARCH`.
    """
    if closed is not None or external_reference is None:
        return False
    return bool(set(liable_customer_ids) & set(matched_customer_ids)) or reference_key(
        external_reference
    ) in set(notified_reference_keys)
