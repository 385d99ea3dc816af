"""Where a payment goes (Derby 10.4-10.5): as the customer directs, else to a matching instalment, else by the
debt hierarchy (rent and tenancy, then council tax and business rates, then charges and fines, then other),
the current financial year first within a type, and the oldest instalment first within a debt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.billing.domain.billing_rules import ArrearsYearOrder, BillingRules
from services.billing.domain.debt_position import DebtPosition
from services.billing.domain.debt_types import DebtType, hierarchy_class
from services.billing.domain.financial_year import FinancialYear, financial_year_of
from shared.money import Pence

_TYPE_ORDER = {t: n for n, t in enumerate(DebtType)}


class AllocationBasis(StrEnum):
    """Why money went where it did, recorded with each allocation for complaints and audit."""

    CUSTOMER_DIRECTION = "customer_direction"
    INSTALMENT_MATCH = "instalment_match"
    DEBT_HIERARCHY = "debt_hierarchy"
    OVERPAYMENT_OFFSET = "overpayment_offset"


@dataclass(frozen=True)
class Allocation:
    """An amount of a payment applied to one instalment of one debt."""

    debt_id: str
    instalment_number: int
    amount_pence: Pence
    basis: AllocationBasis


@dataclass(frozen=True)
class CustomerDirection:
    """The customer's instruction: pay this debt (up to `amount_pence`, or as much as it needs when None)."""

    debt_id: str
    amount_pence: Pence | None = None


@dataclass(frozen=True)
class PaymentAllocation:
    """How a payment was applied, and what was left over once every debt given was paid."""

    allocations: tuple[Allocation, ...]
    unallocated_pence: Pence

    def allocated_to(self, debt_id: str) -> Pence:
        """The total applied to one debt."""
        return sum(a.amount_pence for a in self.allocations if a.debt_id == debt_id)

    @property
    def allocated_pence(self) -> Pence:
        """The total applied to debts."""
        return sum(a.amount_pence for a in self.allocations)


def hierarchy_order(
    debts: Iterable[DebtPosition], current_year: FinancialYear, rules: BillingRules | None = None
) -> list[DebtPosition]:
    """Debts in the order undirected money reaches them.

    By hierarchy class, then debt type, then the current financial year before earlier years (earlier years
    oldest first unless the council configures newest first), then the earliest unpaid due date.
    """
    rules = rules or BillingRules()
    newest_first = rules.arrears_year_order is ArrearsYearOrder.NEWEST_FIRST

    def key(debt: DebtPosition) -> tuple[int, int, int, int, date, str]:
        year = debt.financial_year.start_year
        unpaid = debt.oldest_first()
        earliest = unpaid[0].due_date if unpaid else date.max
        return (
            hierarchy_class(debt.debt_type, rules.hierarchy_overrides),
            _TYPE_ORDER[debt.debt_type],
            0 if debt.financial_year == current_year else 1,
            -year if newest_first else year,
            earliest,
            debt.debt_id,
        )

    return sorted(debts, key=key)


class _Ledger:
    """The unpaid amount of each instalment as a payment is spread, so nothing is paid twice."""

    def __init__(self, debts: Sequence[DebtPosition]) -> None:
        self.debts = {d.debt_id: d for d in debts}
        self.unpaid = {(d.debt_id, i.number): i.outstanding_pence for d in debts for i in d.instalments}
        self.allocations: list[Allocation] = []

    def pay_debt(self, debt: DebtPosition, amount: Pence, basis: AllocationBasis) -> Pence:
        """Apply up to `amount` to the debt's oldest instalments; returns what was applied."""
        applied = 0
        for instalment in debt.oldest_first():
            key = (debt.debt_id, instalment.number)
            take = min(self.unpaid[key], amount - applied)
            if take <= 0:
                continue
            self.unpaid[key] -= take
            applied += take
            self.allocations.append(Allocation(debt.debt_id, instalment.number, take, basis))
            if applied == amount:
                break
        return applied

    def earliest_unpaid(self, debt: DebtPosition) -> Pence | None:
        for instalment in debt.oldest_first():
            if self.unpaid[(debt.debt_id, instalment.number)] > 0:
                return self.unpaid[(debt.debt_id, instalment.number)]
        return None


def spread_by_hierarchy(
    amount_pence: Pence,
    debts: Sequence[DebtPosition],
    current_year: FinancialYear,
    basis: AllocationBasis = AllocationBasis.DEBT_HIERARCHY,
    rules: BillingRules | None = None,
) -> PaymentAllocation:
    """Apply money down the debt hierarchy only (no directions, no instalment matching)."""
    ledger = _Ledger(debts)
    remaining = amount_pence
    for debt in hierarchy_order(debts, current_year, rules):
        if remaining == 0:
            break
        remaining -= ledger.pay_debt(debt, remaining, basis)
    return PaymentAllocation(tuple(ledger.allocations), remaining)


def allocate_payment(
    amount_pence: Pence,
    debts: Sequence[DebtPosition],
    payment_date: date,
    directions: Sequence[CustomerDirection] = (),
    rules: BillingRules | None = None,
) -> PaymentAllocation:
    """Allocate one payment across a customer's debts.

    1. The customer's directions, in order (a payment made to one account, such as a council tax direct debit,
       is directed to that debt by whoever calls this).
    2. Without directions, a payment equal to the next unpaid instalment of a debt pays that instalment
       (Derby 10.5: 'matched to instalment values first'); where several debts match, the hierarchy decides.
    3. Whatever is left goes down the debt hierarchy, current financial year (of `payment_date`) first.
    What remains after every debt is paid is `unallocated_pence`: the true surplus, refundable only then.
    """
    if amount_pence < 0:
        raise ValueError("a payment cannot be negative; refunds and reversals are posted separately")
    rules = rules or BillingRules()
    current_year = financial_year_of(payment_date)
    ordered = hierarchy_order(debts, current_year, rules)
    ledger = _Ledger(ordered)
    remaining = amount_pence

    for direction in directions:
        debt = ledger.debts.get(direction.debt_id)
        if debt is None or remaining == 0:
            continue  # a direction to a debt not owed cannot hold money back from debts that are
        wanted = remaining if direction.amount_pence is None else min(direction.amount_pence, remaining)
        remaining -= ledger.pay_debt(debt, wanted, AllocationBasis.CUSTOMER_DIRECTION)

    if not directions and remaining > 0:
        for debt in ordered:
            if ledger.earliest_unpaid(debt) == remaining:
                remaining -= ledger.pay_debt(debt, remaining, AllocationBasis.INSTALMENT_MATCH)
                break

    for debt in ordered:
        if remaining == 0:
            break
        remaining -= ledger.pay_debt(debt, remaining, AllocationBasis.DEBT_HIERARCHY)

    return PaymentAllocation(tuple(ledger.allocations), remaining)
