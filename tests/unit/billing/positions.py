"""Builders of plain debt positions for the billing unit tests."""

from __future__ import annotations

from datetime import date

from services.billing.domain.debt_position import DebtPosition, InstalmentPosition
from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear


def debt(debt_id: str, debt_type: DebtType, year: int, *instalments: tuple[date, int]) -> DebtPosition:
    """A debt of `debt_type` for financial year `year` with unpaid (due date, pence) instalments."""
    return DebtPosition(
        debt_id,
        debt_type,
        FinancialYear(year),
        tuple(InstalmentPosition(n + 1, due, pence) for n, (due, pence) in enumerate(instalments)),
    )
