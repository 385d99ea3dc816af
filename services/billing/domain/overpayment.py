"""Overpayments and refunds.

Rent, sundry and the other debts (Derby 11.1): no refund while the customer owes the council anything else. A
credit on one debt (paid twice, or reduced after payment) is first offset against every other debt the customer
owes, down the debt hierarchy, including instalments not yet due; only the true surplus is refunded. The same
applies to money the council owes a customer who is also a supplier.

Council tax and business rates are different, and the law outranks Derby's policy here: an overpayment of
council tax is repaid if the taxpayer asks, otherwise repaid or credited against the taxpayer's later council tax
liability, as the billing authority determines (Council Tax (Administration and Enforcement) Regulations 1992,
reg 31); business rates likewise, against later rates only (Non-Domestic Rating (Collection and Enforcement)
(Local Lists) Regulations 1989, reg 9). So a council tax or rates credit is never offset against rent, sundry or
any other debt, nor against the other of the two taxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.billing.domain.allocation import Allocation, AllocationBasis, spread_by_hierarchy
from services.billing.domain.billing_rules import BillingRules, LocalTaxOverpayment
from services.billing.domain.debt_position import DebtPosition
from services.billing.domain.debt_types import DebtType, is_regulated
from services.billing.domain.financial_year import FinancialYear, financial_year_of
from shared.money import Pence

__all__ = [
    "LocalTaxOverpayment",
    "OverpaymentRule",
    "OverpaymentSettlement",
    "debts_a_payment_may_reach",
    "may_refund",
    "may_take_local_tax_credit",
    "rule_for_payment_surplus",
    "settle_overpayment",
]


class OverpaymentRule(StrEnum):
    """The rule that decided where a credit went, recorded with the settlement for audit."""

    OFFSET_THEN_REFUND = "offset_then_refund"  # Derby 11.1, every debt type but the two local taxes
    LOCAL_TAX_LATER_LIABILITY = "local_tax_later_liability"  # reg 31 (CT) / reg 9 (NNDR): later same tax
    LOCAL_TAX_REFUND = "local_tax_refund"  # reg 31 / reg 9: the taxpayer asked, or the council repays


@dataclass(frozen=True)
class OverpaymentSettlement:
    """Where a credit went: offsets against other debts, and the refund of whatever is left."""

    offsets: tuple[Allocation, ...]
    refund_pence: Pence
    rule: OverpaymentRule = OverpaymentRule.OFFSET_THEN_REFUND

    @property
    def offset_pence(self) -> Pence:
        """The total offset against other debts."""
        return sum(a.amount_pence for a in self.offsets)


def may_take_local_tax_credit(tax: DebtType, credited_year: FinancialYear, other: DebtPosition) -> bool:
    """True when a credit of council tax (or business rates) for `credited_year` may be put against `other`:
    only the same tax, for the same or a later financial year (the taxpayer's subsequent liability)."""
    return other.debt_type == tax and other.financial_year.start_year >= credited_year.start_year


def settle_overpayment(
    credit_pence: Pence,
    other_debts: Sequence[DebtPosition],
    as_of: date,
    rules: BillingRules | None = None,
    *,
    credited: DebtPosition | None = None,
    refund_requested: bool = False,
) -> OverpaymentSettlement:
    """Settle a customer's credit on the debt `credited`: offset where the law allows, refund what remains.

    For council tax and business rates the credit goes only to the same tax's later liability, and not at all
    when the taxpayer asked for a refund or the council's rules repay every local tax overpayment. For every
    other debt (or when the credited debt is not known) it is offset against everything else owed, down the
    hierarchy. `other_debts` must be every other debt the customer still owes the council (the single view of
    debt), or a refund could go out while something is owed.
    """
    if credit_pence < 0:
        raise ValueError("a credit to settle cannot be negative")
    rules = rules or BillingRules()
    rule = OverpaymentRule.OFFSET_THEN_REFUND
    eligible = list(other_debts)
    if credited is not None and is_regulated(credited.debt_type):
        if refund_requested or rules.local_tax_overpayment is LocalTaxOverpayment.REFUND:
            return OverpaymentSettlement((), credit_pence, OverpaymentRule.LOCAL_TAX_REFUND)
        rule = OverpaymentRule.LOCAL_TAX_LATER_LIABILITY
        eligible = [
            d
            for d in other_debts
            if may_take_local_tax_credit(credited.debt_type, credited.financial_year, d)
        ]
    spread = spread_by_hierarchy(
        credit_pence, eligible, financial_year_of(as_of), AllocationBasis.OVERPAYMENT_OFFSET, rules
    )
    return OverpaymentSettlement(spread.allocations, spread.unallocated_pence, rule)


def debts_a_payment_may_reach(
    owed: Sequence[DebtPosition], directed_to: Sequence[DebtPosition], rules: BillingRules | None = None
) -> list[DebtPosition]:
    """The debts a payment may be allocated to, given the debts it was paid to (`directed_to`: named by the
    customer or the account paid into, owed or not).

    Money paid as council tax (or business rates) that is more than the tax owed is an overpayment of that tax:
    it may reach only the same tax's later liability (or nothing, where the council repays every local tax
    overpayment), so the excess is repaid rather than taken for rent or sundry. Any other payment may reach
    every debt owed, as today.
    """
    rules = rules or BillingRules()
    taxes = {d.debt_type for d in directed_to}
    if len(taxes) != 1 or not is_regulated(tax := next(iter(taxes))):
        return list(owed)
    paid_to = {d.debt_id for d in directed_to}
    if rules.local_tax_overpayment is LocalTaxOverpayment.REFUND:
        return [d for d in owed if d.debt_id in paid_to]
    earliest = min((d.financial_year for d in directed_to), key=lambda y: y.start_year)
    return [d for d in owed if d.debt_id in paid_to or may_take_local_tax_credit(tax, earliest, d)]


def rule_for_payment_surplus(
    directed_to: Sequence[DebtPosition], rules: BillingRules | None = None
) -> OverpaymentRule:
    """The rule that decided where a payment's surplus went, as `debts_a_payment_may_reach` applied it: money
    paid as council tax (or business rates) beyond the tax owed is repaid (reg 31 / reg 9, the council repays
    every local tax overpayment) or credited only against the same tax's later liability, the rest refunded;
    any other payment is offset against every debt owed and only the true surplus refunded (Derby 11.1)."""
    rules = rules or BillingRules()
    taxes = {d.debt_type for d in directed_to}
    if len(taxes) != 1 or not is_regulated(next(iter(taxes))):
        return OverpaymentRule.OFFSET_THEN_REFUND
    if rules.local_tax_overpayment is LocalTaxOverpayment.REFUND:
        return OverpaymentRule.LOCAL_TAX_REFUND
    return OverpaymentRule.LOCAL_TAX_LATER_LIABILITY


def may_refund(refund_pence: Pence, other_debts: Sequence[DebtPosition]) -> bool:
    """True only when a refund is asked for and nothing else is owed (rent, sundry and the other debts)."""
    return refund_pence > 0 and all(d.outstanding_pence == 0 for d in other_debts)
