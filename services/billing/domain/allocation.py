"""Where a payment goes (Derby 10.4-10.5): as the customer directs, else to a matching instalment, else by the
debt hierarchy (rent and tenancy, then council tax and business rates, then charges and fines, then other),
the current financial year first within a type, and the oldest instalment first within a debt.

Within a debt in a breathing space with ongoing liabilities on the payment date (`DebtPosition.ongoing_after`),
the ongoing liabilities come first, oldest first, and the moratorium debt only after them: the Debt Respite
Scheme (Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020
freeze the moratorium debt (reg 7) while the person must keep paying the liabilities falling due after the start
(reg 6; the creditor guidance on ongoing liabilities), so money paid in the space pays those; only a payment of
more than them reaches the frozen arrears, as a voluntary payment the creditor may accept but never ask for.
Each allocation of such a debt records which of the two it paid (`BreathingSpaceShare`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.billing.domain.billing_rules import ArrearsYearOrder, BillingRules
from services.billing.domain.debt_position import DebtPosition, InstalmentPosition
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


class BreathingSpaceShare(StrEnum):
    """What an allocation paid of a debt in a breathing space with ongoing liabilities, recorded beside its basis
    (no share: the debt had none on the payment date)."""

    ONGOING_LIABILITY = "ongoing_liability"
    """A sum falling due after the protected date, which the person must keep paying (creditor guidance)."""
    MORATORIUM_DEBT = "moratorium_debt"
    """The frozen arrears (reg 7): reached only by money beyond the ongoing liabilities, or by the customer's own
    direction to that instalment; a voluntary payment, never asked for."""


@dataclass(frozen=True)
class Allocation:
    """An amount of a payment applied to one instalment of one debt, why (`basis`) and, for a debt in a
    breathing space with ongoing liabilities, which share of it (`breathing_space`)."""

    debt_id: str
    instalment_number: int
    amount_pence: Pence
    basis: AllocationBasis
    breathing_space: BreathingSpaceShare | None = None


@dataclass(frozen=True)
class CustomerDirection:
    """The customer's instruction: pay this debt (up to `amount_pence`, or as much as it needs when None), or
    only its instalment `instalment_number` when they name one (even the frozen arrears of a breathing space:
    the customer may choose to pay them; what is beyond the instalment is allocated as if undirected)."""

    debt_id: str
    amount_pence: Pence | None = None
    instalment_number: int | None = None


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

    def pay_debt(
        self, debt: DebtPosition, amount: Pence, basis: AllocationBasis, only_instalment: int | None = None
    ) -> Pence:
        """Apply up to `amount` to the debt's instalments in its payment order (oldest first; in a breathing
        space the ongoing liabilities before the moratorium debt), or to the one instalment named; returns what
        was applied."""
        applied = 0
        for instalment in debt.in_payment_order():
            if only_instalment is not None and instalment.number != only_instalment:
                continue
            key = (debt.debt_id, instalment.number)
            take = min(self.unpaid[key], amount - applied)
            if take <= 0:
                continue
            self.unpaid[key] -= take
            applied += take
            self.allocations.append(
                Allocation(debt.debt_id, instalment.number, take, basis, _share(debt, instalment))
            )
            if applied == amount:
                break
        return applied

    def next_unpaid(self, debt: DebtPosition) -> Pence | None:
        """What is unpaid of the instalment money would pay next (Derby 10.5 matches against it): the oldest
        unpaid, or in a breathing space the next unpaid ongoing liability."""
        for instalment in debt.in_payment_order():
            if self.unpaid[(debt.debt_id, instalment.number)] > 0:
                return self.unpaid[(debt.debt_id, instalment.number)]
        return None


def _share(debt: DebtPosition, instalment: InstalmentPosition) -> BreathingSpaceShare | None:
    if debt.ongoing_after is None:
        return None
    if debt.is_ongoing_liability(instalment):
        return BreathingSpaceShare.ONGOING_LIABILITY
    return BreathingSpaceShare.MORATORIUM_DEBT


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
       (Derby 10.5: 'matched to instalment values first'); where several debts match, the hierarchy decides. In
       a breathing space with ongoing liabilities the next is the next unpaid ongoing liability.
    3. Whatever is left goes down the debt hierarchy, current financial year (of `payment_date`) first.
    Within a debt, money goes in its payment order (`DebtPosition.in_payment_order`): the oldest first, but in a
    breathing space the ongoing liabilities before the moratorium debt, whichever step brought it there.
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
        remaining -= ledger.pay_debt(
            debt, wanted, AllocationBasis.CUSTOMER_DIRECTION, direction.instalment_number
        )

    if not directions and remaining > 0:
        for debt in ordered:
            if ledger.next_unpaid(debt) == remaining:
                remaining -= ledger.pay_debt(debt, remaining, AllocationBasis.INSTALMENT_MATCH)
                break

    for debt in ordered:
        if remaining == 0:
            break
        remaining -= ledger.pay_debt(debt, remaining, AllocationBasis.DEBT_HIERARCHY)

    return PaymentAllocation(tuple(ledger.allocations), remaining)
