"""The Moratorium aggregate: one breathing space as told by its notifications, and what it means on any date.

Notifications are kept, one per notification reference (the highest revision wins), and the state
is derived from all of them together. That is why the order they arrive in does not matter: a
cancellation that overtakes the start notification, or debts added before the space itself arrives,
converge to the same answer. A duplicate (same reference and version) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from services.breathing_space.domain.notifications import (
    BreathingSpaceNotification,
    Cancelled,
    Debtor,
    DebtsAdded,
    DebtsReportedBack,
    EndedEarly,
    Expired,
    MentalHealthCrisisTreatmentEnded,
    NewMentalHealthCrisisBreathingSpace,
    NewStandardBreathingSpace,
)
from services.breathing_space.domain.period_rules import REGULATIONS_2020, PeriodRules
from shared.money import Pence


class MoratoriumKind(StrEnum):
    """Standard (60 days) or mental health crisis (treatment plus 30 days)."""

    STANDARD = "standard"
    MENTAL_HEALTH_CRISIS = "mental_health_crisis"


class MoratoriumStatus(StrEnum):
    """Where a moratorium stands on a given date."""

    AWAITING_START = "awaiting_start"  # other notifications arrived before the one that starts it
    NOT_YET_STARTED = "not_yet_started"
    ACTIVE = "active"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    ENDED_EARLY = "ended_early"


class ApplyOutcome(StrEnum):
    """What applying one notification did."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # same reference and version: nothing changes
    REVISED = "revised"  # a higher version of a notification already held replaced it
    STALE = "stale"  # a lower version than the one held: ignored
    WRONG_MORATORIUM = "wrong_moratorium"


class DebtSource(StrEnum):
    """How a debt came to be covered."""

    NOTIFIED_AT_START = "notified_at_start"
    ADDED = "added"
    FOUND_BY_SEARCH = "found_by_search"


@dataclass(frozen=True)
class CoveredDebt:
    """A debt the moratorium covers.

    Enforcement and contact are held from ``held_from`` (the start for debts notified at the start,
    the date added for debts added later); interest, fees and charges are frozen from
    ``charges_frozen_from``, which is always the moratorium's start: the regulations' protections
    run from the start of the moratorium.
    """

    creditor_reference: str
    debt_type: str
    amount_pence: Pence | None
    held_from: date
    charges_frozen_from: date
    source: DebtSource


_SOURCE_ORDER = {DebtSource.NOTIFIED_AT_START: 0, DebtSource.ADDED: 1, DebtSource.FOUND_BY_SEARCH: 2}


class Moratorium:
    """One breathing space. Apply notifications with ``apply``; ask about it with the read methods."""

    def __init__(self, moratorium_reference: str, rules: PeriodRules = REGULATIONS_2020) -> None:
        self.moratorium_reference = moratorium_reference
        self.rules = rules
        self._held: dict[str, BreathingSpaceNotification] = {}

    # -- applying --

    def apply(self, notification: BreathingSpaceNotification) -> ApplyOutcome:
        """Take one notification into account. Idempotent; order-independent."""
        if notification.moratorium_reference != self.moratorium_reference:
            return ApplyOutcome.WRONG_MORATORIUM
        held = self._held.get(notification.notification_reference)
        if held is None:
            self._held[notification.notification_reference] = notification
            return ApplyOutcome.APPLIED
        if notification.version == held.version:
            return ApplyOutcome.DUPLICATE
        if notification.version < held.version:
            return ApplyOutcome.STALE
        self._held[notification.notification_reference] = notification
        return ApplyOutcome.REVISED

    def notifications(self) -> list[BreathingSpaceNotification]:
        """The notifications in force, in the order the Insolvency Service issued them."""
        return sorted(self._held.values(), key=lambda n: (n.issued_at, n.notification_reference))

    def _of(self, kind: type | tuple[type, ...]) -> list[Any]:
        return [n for n in self.notifications() if isinstance(n, kind)]

    # -- the start --

    def _start_notification(self) -> NewStandardBreathingSpace | NewMentalHealthCrisisBreathingSpace | None:
        starts = self._of((NewStandardBreathingSpace, NewMentalHealthCrisisBreathingSpace))
        # If the Insolvency Service ever sent two, the first issued stands; ``anomalies`` reports the second.
        return starts[0] if starts else None

    @property
    def kind(self) -> MoratoriumKind | None:
        """Standard or mental health crisis; None until the start notification arrives."""
        start = self._start_notification()
        if start is None:
            return None
        if isinstance(start, NewMentalHealthCrisisBreathingSpace):
            return MoratoriumKind.MENTAL_HEALTH_CRISIS
        return MoratoriumKind.STANDARD

    @property
    def start_date(self) -> date | None:
        """The first protected day (may be before the notification arrived)."""
        start = self._start_notification()
        return start.start_date if start else None

    @property
    def application_date(self) -> date | None:
        """The day the debtor applied: the moratorium debts are those owed then (reg 6). Where the start
        notification does not carry it, the start date stands in (`anomalies` says so)."""
        start = self._start_notification()
        if start is None:
            return None
        return start.application_date or start.start_date

    @property
    def application_date_notified(self) -> bool:
        """Whether the start notification carried the application date (else the start date stands in)."""
        start = self._start_notification()
        return start is not None and start.application_date is not None

    @property
    def debtor(self) -> Debtor | None:
        """The debtor as most recently notified (amendments included)."""
        held = self.notifications()
        return held[-1].debtor if held else None

    # -- the end --

    @property
    def treatment_ended_on(self) -> date | None:
        """For a crisis space, the date crisis treatment ended, once notified (latest notification stands)."""
        ended = self._of(MentalHealthCrisisTreatmentEnded)
        return ended[-1].treatment_ended_on if ended else None

    def _end_bounds(self) -> list[tuple[date, MoratoriumStatus]]:
        bounds: list[tuple[date, MoratoriumStatus]] = []
        start, kind = self.start_date, self.kind
        if kind is MoratoriumKind.STANDARD and start is not None:
            bounds.append((self.rules.standard_last_day(start), MoratoriumStatus.EXPIRED))
        if kind is MoratoriumKind.MENTAL_HEALTH_CRISIS and self.treatment_ended_on is not None:
            bounds.append((self.rules.crisis_last_day(self.treatment_ended_on), MoratoriumStatus.EXPIRED))
        bounds += [(n.cancelled_on, MoratoriumStatus.CANCELLED) for n in self._of(Cancelled)]
        bounds += [(n.ended_on, MoratoriumStatus.ENDED_EARLY) for n in self._of(EndedEarly)]
        # An expiry notice may end it sooner than our arithmetic, never later than the legal period.
        bounds += [(n.expired_on, MoratoriumStatus.EXPIRED) for n in self._of(Expired)]
        return bounds

    @property
    def end_date(self) -> date | None:
        """The last protected day (inclusive); None while it has no end (crisis treatment continuing)."""
        bounds = self._end_bounds()
        return min(day for day, _ in bounds) if bounds else None

    @property
    def end_reason(self) -> MoratoriumStatus | None:
        """Why it ends on ``end_date``; on a tie CANCELLED beats ENDED_EARLY beats EXPIRED."""
        bounds = self._end_bounds()
        if not bounds:
            return None
        earliest = min(day for day, _ in bounds)
        reasons = {reason for day, reason in bounds if day == earliest}
        for reason in (MoratoriumStatus.CANCELLED, MoratoriumStatus.ENDED_EARLY, MoratoriumStatus.EXPIRED):
            if reason in reasons:
                return reason
        return None  # unreachable: every bound carries one of the three

    # -- questions about a date --

    def is_active_on(self, day: date) -> bool:
        """Whether the debtor is protected on ``day``: from the start date to the end date, both inclusive."""
        start, end = self.start_date, self.end_date
        if start is None or day < start:
            return False
        return end is None or day <= end

    def status(self, as_of: date) -> MoratoriumStatus:
        """Where the moratorium stands on ``as_of``."""
        start, end = self.start_date, self.end_date
        if start is None:
            return MoratoriumStatus.AWAITING_START
        if end is not None and (as_of > end or end < start):
            return self.end_reason or MoratoriumStatus.EXPIRED
        if as_of < start:
            return MoratoriumStatus.NOT_YET_STARTED
        return MoratoriumStatus.ACTIVE

    # -- debts --

    def covered_debts(self) -> list[CoveredDebt]:
        """Every debt the moratorium covers, once each (the earliest way it came in stands)."""
        start = self.start_date
        if start is None:
            return []
        found: dict[str, CoveredDebt] = {}
        for notification in self.notifications():
            if isinstance(notification, NewStandardBreathingSpace | NewMentalHealthCrisisBreathingSpace):
                source, held_from = DebtSource.NOTIFIED_AT_START, start
            elif isinstance(notification, DebtsAdded):
                source, held_from = DebtSource.ADDED, max(start, notification.added_on)
            elif isinstance(notification, DebtsReportedBack):
                source, held_from = DebtSource.FOUND_BY_SEARCH, max(start, notification.reported_on)
            else:
                continue
            for debt in notification.debts:
                candidate = CoveredDebt(
                    creditor_reference=debt.creditor_reference,
                    debt_type=debt.debt_type,
                    amount_pence=debt.amount_pence,
                    held_from=held_from,
                    charges_frozen_from=start,
                    source=source,
                )
                known = found.get(debt.creditor_reference)
                if known is None or (candidate.held_from, _SOURCE_ORDER[candidate.source]) < (
                    known.held_from,
                    _SOURCE_ORDER[known.source],
                ):
                    found[debt.creditor_reference] = candidate
        return sorted(found.values(), key=lambda d: (d.held_from, d.creditor_reference))

    def _covered(self, creditor_reference: str) -> CoveredDebt | None:
        return next((d for d in self.covered_debts() if d.creditor_reference == creditor_reference), None)

    def is_debt_held_on(self, creditor_reference: str, day: date) -> bool:
        """Whether enforcement and contact about this debt are barred on ``day``."""
        debt = self._covered(creditor_reference)
        return debt is not None and self.is_active_on(day) and day >= debt.held_from

    def are_charges_frozen_on(self, creditor_reference: str, day: date) -> bool:
        """Whether interest, fees and charges on this debt are frozen on ``day`` (from the start)."""
        return self._covered(creditor_reference) is not None and self.is_active_on(day)

    # -- for an officer --

    def anomalies(self) -> list[str]:
        """Things in the notifications that an officer should look at (no personal data in the wording)."""
        found: list[str] = []
        starts = self._of((NewStandardBreathingSpace, NewMentalHealthCrisisBreathingSpace))
        if len(starts) > 1:
            found.append(f"{len(starts)} start notifications; the first issued stands")
        if starts and starts[0].application_date is None:
            found.append(
                "application date not notified; debts owed at the start date are the moratorium debts"
            )
        if self._of(MentalHealthCrisisTreatmentEnded) and self.kind is MoratoriumKind.STANDARD:
            found.append("treatment-ended notification on a standard breathing space; ignored")
        end, start = self.end_date, self.start_date
        if start is not None and end is not None and end < start:
            found.append("ended before it started; never active")
        return found
