"""The outbound 'debts reported back' message: what the council's search found beyond the notified
debts, in the same documented format as the notifications it answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from services.breathing_space.domain.debt_search import DebtProjection, as_notified_debts
from services.breathing_space.domain.notifications import Debtor, DebtsReportedBack, NotificationKind


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
    return DebtsReportedBack(
        kind=NotificationKind.DEBTS_REPORTED_BACK,
        notification_reference=notification_reference,
        version=1,
        moratorium_reference=moratorium_reference,
        issued_at=issued_at,
        debtor=debtor,
        debts=as_notified_debts(found),
        reported_on=reported_on,
        creditor_name=creditor_name,
    )
