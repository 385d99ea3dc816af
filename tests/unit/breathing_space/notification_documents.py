"""Builders of breathing space notifications for the unit tests (one moratorium, a fixed debtor)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.breathing_space.domain.notifications import BreathingSpaceNotification, parse_notification

MORATORIUM = "BS-2025-000001"
DEBTOR: dict[str, Any] = {
    "forenames": "Joanne Mary",
    "surname": "Fletcher",
    "previous_names": [{"forenames": "Joanne Mary", "surname": "Wainwright"}],
    "date_of_birth": "1984-07-19",
    "current_address": {"lines": ["14 Abbey Street"], "town": "Derby", "postcode": "DE22 3SJ"},
    "previous_addresses": [{"lines": ["Flat 2", "7 Osmaston Road"], "town": "Derby", "postcode": "DE1 2HR"}],
}
COUNCIL_TAX = {"creditor_reference": "CT-40012345", "debt_type": "council_tax", "amount_pence": 84217}


def document(
    kind: str,
    reference: str,
    *,
    version: int = 1,
    issued_on: date = date(2025, 3, 1),
    debts: list[dict[str, Any]] | None = None,
    moratorium: str = MORATORIUM,
    **fields: Any,
) -> dict[str, Any]:
    """A notification document as the Insolvency Service would send it."""
    issued = datetime(issued_on.year, issued_on.month, issued_on.day, 9, tzinfo=UTC)
    return {
        "schema_version": "1",
        "kind": kind,
        "notification_reference": reference,
        "version": version,
        "moratorium_reference": moratorium,
        "issued_at": issued.isoformat(),
        "debtor": DEBTOR,
        "debts": [COUNCIL_TAX] if debts is None else debts,
        **{k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()},
    }


def notification(kind: str, reference: str, **kwargs: Any) -> BreathingSpaceNotification:
    """A parsed notification; fails the test if the builder made a malformed one."""
    import json

    parsed = parse_notification(json.dumps(document(kind, reference, **kwargs)))
    assert parsed.notification is not None, parsed.refusal
    return parsed.notification


def standard_start(start: date, *, issued_on: date | None = None, reference: str = "N-START") -> Any:
    """A new standard breathing space starting on ``start``."""
    return notification(
        "new_standard_breathing_space", reference, start_date=start, issued_on=issued_on or start
    )


def crisis_start(start: date, *, issued_on: date | None = None, reference: str = "N-START") -> Any:
    """A new mental health crisis breathing space starting on ``start``."""
    return notification(
        "new_mental_health_crisis_breathing_space", reference, start_date=start, issued_on=issued_on or start
    )


def days(n: int) -> timedelta:
    """Shorthand for a number of days."""
    return timedelta(days=n)
