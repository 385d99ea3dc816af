"""What is still owed on a debt, instalment by instalment: the plain record allocation works from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear
from shared.money import Pence


@dataclass(frozen=True)
class InstalmentPosition:
    """The unpaid part of one instalment."""

    number: int
    due_date: date
    outstanding_pence: Pence


@dataclass(frozen=True)
class DebtPosition:
    """One debt's unpaid instalments (a single-payment invoice has one), its type and financial year."""

    debt_id: str
    debt_type: DebtType
    financial_year: FinancialYear
    instalments: tuple[InstalmentPosition, ...]

    @property
    def outstanding_pence(self) -> Pence:
        """Everything still owed on the debt."""
        return sum(i.outstanding_pence for i in self.instalments)

    def oldest_first(self) -> list[InstalmentPosition]:
        """Unpaid instalments, the earliest due first (how money is applied within one debt)."""
        return sorted(
            (i for i in self.instalments if i.outstanding_pence > 0), key=lambda i: (i.due_date, i.number)
        )
