"""The terms on which a council charges interest and a late-payment fee on an unpaid debt (sundry only)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.money import Pence


@dataclass(frozen=True)
class LatePaymentTerms:
    """Simple daily interest at an annual rate, and a fixed fee once a debt is `fee_after_days` days overdue.

    `annual_interest_percent` is a Decimal percentage (Decimal('8') is 8% a year); interest accrues from the
    day after the due date, on `day_count_basis` days a year.
    """

    annual_interest_percent: Decimal = Decimal("0")
    late_fee_pence: Pence = 0
    fee_after_days: int = 0
    day_count_basis: int = 365
