"""What is still owed on a debt, instalment by instalment: the plain record allocation works from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

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
        return list(self._unpaid_in_due_order)

    @cached_property
    def _unpaid_in_due_order(self) -> tuple[InstalmentPosition, ...]:
        # A position never changes, and allocation asks for this order several times per debt.
        return tuple(
            sorted(
                (i for i in self.instalments if i.outstanding_pence > 0), key=lambda i: (i.due_date, i.number)
            )
        )


@dataclass(frozen=True)
class LineReduction:
    """An amount taken off one instalment (or added line) of a debt."""

    number: int
    amount_pence: Pence


def reductions_latest_first(debt: DebtPosition, amount_pence: Pence) -> list[LineReduction]:
    """How a reduction (credit note, write-off, cancellation) comes off a debt: the latest unpaid line first,
    so the customer's next payment dates stay as billed. Raises ValueError beyond what is outstanding."""
    if not 0 < amount_pence <= debt.outstanding_pence:
        raise ValueError("a reduction must be positive and within what is outstanding")
    reductions = []
    remaining = amount_pence
    for instalment in reversed(debt.oldest_first()):
        take = min(instalment.outstanding_pence, remaining)
        reductions.append(LineReduction(instalment.number, take))
        remaining -= take
        if remaining == 0:
            break
    return reductions
