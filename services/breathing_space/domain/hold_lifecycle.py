"""When a moratorium's hold ends, how it ended, and which of its debts the Insolvency Service notified.

Pure rules the service applies each time it brings a moratorium up to date (`moratoria.py`); the expiry check
finds the moratoria due with the SQL twin of `hold_due_to_end` (`stores/moratoria.py`, `DUE_TO_END`).
"""

from __future__ import annotations

from datetime import date

from services.breathing_space.domain.moratorium import (
    DebtSource,
    Moratorium,
    MoratoriumKind,
    MoratoriumStatus,
)
from services.breathing_space.domain.notifications import Cancelled, EndedEarly, NotifiedDebt

SETTLED_MATCHES = frozenset({"exact", "confirmed", "rejected", "pending"})
"""Match states that are settled: matching is not run again for them."""


def hold_due_to_end(
    *, hold_started: bool, hold_ended: bool, last_protected_day: date | None, today: date
) -> bool:
    """A hold that started and has not ended ends once the business date is past the last protected day
    (a crisis moratorium with treatment continuing has no last day yet). SQL twin: `stores.moratoria.DUE_TO_END`."""
    return hold_started and not hold_ended and last_protected_day is not None and today > last_protected_day


def never_active(moratorium: Moratorium) -> bool:
    """Ended before it started (e.g. cancelled back-dated): there is nothing to hold."""
    start, end = moratorium.start_date, moratorium.end_date
    return start is not None and end is not None and end < start


def notified_debts(moratorium: Moratorium) -> list[NotifiedDebt]:
    """The debts the Insolvency Service notified (at the start or added later), not those we found."""
    return [
        NotifiedDebt(
            creditor_reference=d.creditor_reference, debt_type=d.debt_type, amount_pence=d.amount_pence
        )
        for d in moratorium.covered_debts()
        if d.source is not DebtSource.FOUND_BY_SEARCH
    ]


def how_it_ended(moratorium: Moratorium) -> tuple[str, str | None]:
    """How the hold ends (`cancelled`, `ended_early`, `crisis_treatment_ended`, `expired`) and the notified
    reason, if any."""
    reason = moratorium.end_reason
    if reason is MoratoriumStatus.CANCELLED:
        cancelled = [n for n in moratorium.notifications() if isinstance(n, Cancelled)]
        return "cancelled", cancelled[0].reason if cancelled else None
    if reason is MoratoriumStatus.ENDED_EARLY:
        ended = [n for n in moratorium.notifications() if isinstance(n, EndedEarly)]
        return "ended_early", ended[0].reason if ended else None
    if moratorium.kind is MoratoriumKind.MENTAL_HEALTH_CRISIS and moratorium.treatment_ended_on is not None:
        return "crisis_treatment_ended", None
    return "expired", None
