"""What is still owed on a debt, instalment by instalment: the plain record allocation works from.

A debt in a breathing space with ongoing liabilities carries the protected date (`ongoing_after`): its sums
falling due after that day are ongoing liabilities the person must keep paying (Debt Respite Scheme (Breathing
Space Moratorium and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020, reg 6 and the
creditor guidance on ongoing liabilities), those due by it are the moratorium debt, frozen (reg 7).
"""

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
    """One debt's unpaid instalments (a single-payment invoice has one), its type and financial year.

    `ongoing_after`: set while the debt is in a breathing space with ongoing liabilities on the day the position
    is used for (a payment's date): its sums falling due after this day are ongoing liabilities, those due by it
    the moratorium debt. None: no breathing space, or one holding the whole debt.
    """

    debt_id: str
    debt_type: DebtType
    financial_year: FinancialYear
    instalments: tuple[InstalmentPosition, ...]
    ongoing_after: date | None = None

    @property
    def outstanding_pence(self) -> Pence:
        """Everything still owed on the debt."""
        return sum(i.outstanding_pence for i in self.instalments)

    def oldest_first(self) -> list[InstalmentPosition]:
        """Unpaid instalments, the earliest due first (how money is applied within one debt)."""
        return list(self._unpaid_in_due_order)

    def is_ongoing_liability(self, instalment: InstalmentPosition) -> bool:
        """True when the instalment is an ongoing liability of a breathing space: it falls due after the
        protected date, so the person must keep paying it (creditor guidance on ongoing liabilities)."""
        return self.ongoing_after is not None and instalment.due_date > self.ongoing_after

    def in_payment_order(self) -> list[InstalmentPosition]:
        """Unpaid instalments in the order money is applied within this debt.

        The earliest due first; but in a breathing space with ongoing liabilities, the ongoing liabilities
        (falling due after the protected date) first, oldest first, and only then the moratorium debt: what the
        person pays during the space pays what they must keep paying, and reaches the frozen arrears only as a
        voluntary payment of more than the ongoing liabilities (reg 6, reg 7; the creditor guidance: a creditor
        may accept a voluntary payment of a moratorium debt, never ask for one).
        """
        return list(self._unpaid_in_payment_order)

    @cached_property
    def _unpaid_in_payment_order(self) -> tuple[InstalmentPosition, ...]:
        if self.ongoing_after is None:
            return self._unpaid_in_due_order
        ongoing = tuple(i for i in self._unpaid_in_due_order if self.is_ongoing_liability(i))
        return ongoing + tuple(i for i in self._unpaid_in_due_order if not self.is_ongoing_liability(i))

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
