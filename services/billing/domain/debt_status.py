"""Where a debt stands: open, cancelled or written off, and whether late-payment charges may accrue on it."""

from __future__ import annotations

from datetime import date

OPEN = "open"
CANCELLED = "cancelled"
WRITTEN_OFF = "written_off"


def debt_is_open(status: str) -> bool:
    """Open for payments, corrections and charges: neither cancelled nor wholly written off."""
    return status == OPEN


def due_for_late_payment_charges(
    status: str, balance_pence: int, due_date: date, interest_accrued_to: date | None, as_of: date
) -> bool:
    """Interest and fees may accrue to `as_of`: the debt is open with money owed, its due date has passed, and
    it has not already been accrued to that day."""
    return (
        debt_is_open(status)
        and balance_pence > 0
        and due_date < as_of
        and (interest_accrued_to is None or interest_accrued_to < as_of)
    )


def status_after_write_off(status: str, balance_pence: int) -> str:
    """A write-off that leaves nothing owed closes the debt as written off; otherwise it stays as it was."""
    return WRITTEN_OFF if balance_pence == 0 else status
