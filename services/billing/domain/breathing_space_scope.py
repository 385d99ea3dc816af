"""Which sums of a debt a breathing space freezes (issue 13).

The Debt Respite Scheme (Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales)
Regulations 2020 protect the **moratorium debts**: the debts owed at the application date (reg 6). During the
moratorium a creditor must not charge interest, fees, penalties or other charges on a moratorium debt for the
moratorium period (reg 7). Sums falling due after the start for the period after it (council tax, business rates
or rent instalments) are **ongoing liabilities**: not moratorium debts, so reg 7 does not freeze them; they stay
payable and collectable, and any interest or charge the council's terms put on them when late runs as usual.

The breathing space service says, per debt, up to which day the debt's sums are the moratorium debt
(`HeldDebtScope.protected_up_to`, kept on the hold as `ongoing_after` when the debt has ongoing liabilities).
Here: which holds freeze each sum, and the debt's principal grouped by the sum's due date with the holds that
freeze it, so interest accrues on each sum from its own due date and stops only where a hold protects it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from shared.money import Pence


def has_ongoing_liabilities(ongoing_liabilities_pence: Pence) -> bool:
    """True when the breathing space service found sums of the debt falling due after the start for the period
    after it (only then is any part of the debt left unfrozen; otherwise the whole debt is held)."""
    return ongoing_liabilities_pence > 0


def holds_freezing(
    due_date: date | None, holds: Iterable[BreathingSpaceHold]
) -> tuple[BreathingSpaceHold, ...]:
    """The holds that freeze interest, fees and charges on a sum falling due on `due_date` (reg 7): those for
    which it is part of the moratorium debt. A hold leaves an ongoing liability of it unfrozen."""
    return tuple(hold for hold in holds if hold.protects_sum_due(due_date))


@dataclass(frozen=True)
class ScopedPrincipal:
    """The unpaid sums of a debt falling due on one day, and the holds that freeze interest on them."""

    due_date: date
    principal_pence: Pence
    frozen_by: tuple[BreathingSpaceHold, ...]


def principal_by_scope(
    sums: Iterable[tuple[date, Pence]], holds: Sequence[BreathingSpaceHold]
) -> list[ScopedPrincipal]:
    """The debt's unpaid sums (`(due_date, outstanding)` per instalment), one group per due date in date order,
    each with the holds that freeze it: interest on a moratorium sum stops for the moratorium; on an ongoing
    liability it runs as on any unpaid sum."""
    by_day: dict[date, Pence] = {}
    for due_date, outstanding in sums:
        if outstanding > 0:
            by_day[due_date] = by_day.get(due_date, 0) + outstanding
    return [
        ScopedPrincipal(day, principal, holds_freezing(day, holds))
        for day, principal in sorted(by_day.items())
    ]


def ongoing_liabilities_pence(sums: Iterable[tuple[date, Pence]], hold: BreathingSpaceHold) -> Pence:
    """What of the debt's unpaid sums the hold leaves unfrozen: the ongoing liabilities (reg 7 does not protect
    them), collectable as usual."""
    return sum(outstanding for due_date, outstanding in sums if not hold.protects_sum_due(due_date))


def ongoing_after_on(day: date, holds: Iterable[BreathingSpaceHold]) -> date | None:
    """The protected date of a debt on `day`, for where a payment made that day goes: sums falling due after it
    are ongoing liabilities the person must keep paying during the space (reg 6; the creditor guidance on
    ongoing liabilities). None when no hold covers the day, or one covering it holds the whole debt (no ongoing
    liabilities). Under two holds a sum is the moratorium debt if either protects it, so the later date."""
    covering = [hold for hold in holds if hold.covers(day)]
    if not covering or any(hold.ongoing_after is None for hold in covering):
        return None
    return max(hold.ongoing_after for hold in covering if hold.ongoing_after is not None)
