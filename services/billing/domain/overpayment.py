"""Overpayments and refunds (Derby 11.1): no refund while the customer owes the council anything else.

A credit on one debt (paid twice, or reduced after payment) is first offset against every other debt the
customer owes, down the debt hierarchy, including instalments not yet due; only the true surplus is refunded.
The same applies to money the council owes a customer who is also a supplier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.billing.domain.allocation import Allocation, AllocationBasis, spread_by_hierarchy
from services.billing.domain.billing_rules import BillingRules
from services.billing.domain.debt_position import DebtPosition
from services.billing.domain.financial_year import financial_year_of
from shared.money import Pence


@dataclass(frozen=True)
class OverpaymentSettlement:
    """Where a credit went: offsets against other debts, and the refund of whatever is left."""

    offsets: tuple[Allocation, ...]
    refund_pence: Pence

    @property
    def offset_pence(self) -> Pence:
        """The total offset against other debts."""
        return sum(a.amount_pence for a in self.offsets)


def settle_overpayment(
    credit_pence: Pence,
    other_debts: Sequence[DebtPosition],
    as_of: date,
    rules: BillingRules | None = None,
) -> OverpaymentSettlement:
    """Offset a customer's credit against everything else they owe; refund only what then remains.

    `other_debts` must be every debt the customer still owes the council (the single view of debt), or the
    refund could go out while something is owed.
    """
    if credit_pence < 0:
        raise ValueError("a credit to settle cannot be negative")
    spread = spread_by_hierarchy(
        credit_pence, other_debts, financial_year_of(as_of), AllocationBasis.OVERPAYMENT_OFFSET, rules
    )
    return OverpaymentSettlement(spread.allocations, spread.unallocated_pence)


def may_refund(refund_pence: Pence, other_debts: Sequence[DebtPosition]) -> bool:
    """True only when a refund is asked for and nothing else is owed."""
    return refund_pence > 0 and all(d.outstanding_pence == 0 for d in other_debts)
