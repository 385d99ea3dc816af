"""The council's outbound messages, in the same documented format as the notifications they answer: 'debts
reported back' (what the council's search found beyond the notified debts) and 'creditor review requested' (the
council's request for a review, reg 17).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from services.breathing_space.domain.creditor_rights import ReviewGround
from services.breathing_space.domain.debt_search import DebtProjection, as_notified_debts
from services.breathing_space.domain.notifications import (
    CreditorReviewRequested,
    Debtor,
    DebtsReportedBack,
    NotificationKind,
    NotifiedDebt,
)


@dataclass(frozen=True)
class _Envelope:
    """The envelope fields every outbound document carries (always its first revision)."""

    moratorium_reference: str
    notification_reference: str
    issued_at: datetime
    debtor: Debtor

    def fields(self) -> dict[str, Any]:
        return {**asdict(self), "debtor": self.debtor, "version": 1}


def debts_reported_back(
    *,
    moratorium_reference: str,
    notification_reference: str,
    issued_at: datetime,
    reported_on: date,
    debtor: Debtor,
    creditor_name: str,
    found: Sequence[DebtProjection],
) -> DebtsReportedBack | None:
    """The report for the debts found beyond those notified; None when the search found none."""
    if not found:
        return None
    envelope = _Envelope(moratorium_reference, notification_reference, issued_at, debtor)
    return DebtsReportedBack(
        kind=NotificationKind.DEBTS_REPORTED_BACK,
        **envelope.fields(),
        debts=as_notified_debts(found),
        reported_on=reported_on,
        creditor_name=creditor_name,
    )


def creditor_review_requested(
    *,
    moratorium_reference: str,
    notification_reference: str,
    issued_at: datetime,
    requested_on: date,
    review_deadline: date,
    debtor: Debtor,
    creditor_name: str,
    grounds: Sequence[ReviewGround],
    evidence_references: Sequence[str],
    explanation: str | None,
    debts: Sequence[NotifiedDebt],
) -> CreditorReviewRequested:
    """The council's review request (reg 17) as the outbound document (NOTIFICATIONS.md)."""
    envelope = _Envelope(moratorium_reference, notification_reference, issued_at, debtor)
    return CreditorReviewRequested(
        kind=NotificationKind.CREDITOR_REVIEW_REQUESTED,
        **envelope.fields(),
        debts=list(debts),
        requested_on=requested_on,
        review_deadline=review_deadline,
        creditor_name=creditor_name,
        grounds=list(grounds),
        evidence_references=list(evidence_references),
        explanation=explanation,
    )
