"""Council tax and business rates in a breathing space: the sums that fell due by the moratorium's start are the
moratorium debt (frozen: no notice, no enforcement), and the instalments falling due after it for the period after
the start are ongoing liabilities, which are not frozen (the creditor guidance; DOMAIN.md 7): reminders about them
go on as the regulated path says. Only reminders: a final notice or a summons would pursue the year's balance,
which includes the moratorium debt, so they wait for the end of the breathing space; and where the right to pay by
instalments was lost before the start, the whole year's balance was owed then and all of it is held. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from services.recovery.domain.case import StepTaken
from services.recovery.domain.holds import Hold
from services.recovery.domain.instalments import InstalmentLedger
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_path import (
    PRE_COURT_KINDS,
    IssuedNotice,
    RegulatedDecision,
    RegulatedStatus,
    RegulatedTerms,
    next_regulated_step,
)

ONGOING_NOTICE_KINDS = frozenset({StepKind.REMINDER, StepKind.SECOND_REMINDER})


def notices_issued(steps: Iterable[StepTaken], holds: tuple[Hold, ...]) -> tuple[IssuedNotice, ...]:
    """The regulated notices already issued, each reminder sent in a breathing space marked as being about the
    ongoing liabilities only: it asked for nothing owed by the start, so it is judged on what it asked for, and
    the moratorium debt still gets its own reminder once the breathing space ends."""
    issued = []
    for step in steps:
        if step.kind not in PRE_COURT_KINDS:
            continue
        space = breathing_space_with_ongoing_liabilities(holds, step.taken_on)
        about = space.ongoing_after if space is not None and step.kind in ONGOING_NOTICE_KINDS else None
        issued.append(IssuedNotice(step.kind, step.taken_on, ongoing_after=about))
    return tuple(issued)


def breathing_space_with_ongoing_liabilities(holds: tuple[Hold, ...], day: date) -> Hold | None:
    """The breathing space in force on `day` that leaves ongoing liabilities unfrozen, when it is the only kind
    of hold in force (any other hold stops everything, as before)."""
    in_force = [h for h in holds if h.is_active_on(day)]
    if in_force and all(h.is_breathing_space and h.ongoing_after is not None for h in in_force):
        return in_force[0]
    return None


def ongoing_liabilities_decision(
    terms: RegulatedTerms,
    ledger: InstalmentLedger,
    issued: tuple[IssuedNotice, ...],
    space: Hold,
    day: date,
) -> RegulatedDecision | None:
    """What the regulated path does about the ongoing liabilities on `day` during the breathing space: a reminder
    (due or later), or a day to look again; None when nothing may be done until the breathing space ends."""
    after = space.ongoing_after
    assert after is not None
    if any(n.kind is StepKind.SUMMONS for n in issued):
        return None
    before = tuple(n for n in issued if n.issued_on <= after)
    at_start = next_regulated_step(terms, ledger, before, after + timedelta(days=1))
    if at_start.balance_payable_from is not None and at_start.balance_payable_from <= after:
        return None  # the right to instalments was lost before the start: the whole year is moratorium debt
    decision = next_regulated_step(terms, ledger.falling_due_after(after), issued, day)
    if decision.kind in ONGOING_NOTICE_KINDS:
        return decision
    if decision.status is RegulatedStatus.NOT_YET and decision.kind is None and decision.eligible_from:
        return decision  # the next ongoing instalment falls due: look again then
    return None
