"""The terms on which a council charges interest and a late-payment fee on an unpaid debt (never council tax or
rates): statutory interest and fixed sums from business debtors (Late Payment of Commercial Debts (Interest) Act
1998, `late_payment_act.py`), and its contractual terms for charges whose contract provides them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.money import Pence


@dataclass(frozen=True)
class LatePaymentTerms:
    """The council's late payment terms for one debt type.

    `late_payment_act`: claim statutory interest and the fixed sum from business debtors. The contractual
    terms (for a charge whose contract provides them): simple daily interest at `annual_interest_percent` (a
    Decimal percentage, Decimal('8') is 8% a year) from the day after the due date on `day_count_basis` days a
    year, and a fee of `late_fee_pence` once the debt is `fee_after_days` days overdue.
    """

    late_payment_act: bool = False
    annual_interest_percent: Decimal = Decimal("0")
    late_fee_pence: Pence = 0
    fee_after_days: int = 0
    day_count_basis: int = 365

    @property
    def has_contractual_terms(self) -> bool:
        """Whether the council has contractual interest or a fee for charges whose contract provides them."""
        return self.annual_interest_percent > 0 or self.late_fee_pence > 0
