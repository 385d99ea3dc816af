"""Arrangements to pay by instalments: affordable from the Standard Financial Statement, council tax cleared by
the end of the financial year by default (NELC 6.7), one arrangement across several debts on request, and
default detection (a missed instalment makes the whole balance due and recovery resumes, Sundry 7.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import ArrangementTerms
from shared.money import Pence, percentage_of

# The longest plan an officer may agree: ten years of monthly instalments.
MAX_ARRANGEMENT_MONTHS = 120


class ArrangementError(ValueError):
    """An arrangement that cannot be made as asked."""


@dataclass(frozen=True)
class StandardFinancialStatement:
    """The debtor's monthly income and expenditure as recorded on the Standard Financial Statement (Derby 9.9)."""

    monthly_income: Pence
    monthly_expenditure: Pence
    recorded_on: date
    recorded_by: str

    def __post_init__(self) -> None:
        if self.monthly_income < 0 or self.monthly_expenditure < 0:
            raise ArrangementError("income and expenditure are never negative")

    @property
    def monthly_surplus(self) -> Pence:
        """What is left each month after essential spending (never below nothing)."""
        return max(self.monthly_income - self.monthly_expenditure, 0)


@dataclass(frozen=True)
class ArrangedDebt:
    """One debt brought into an arrangement, with the sum arranged."""

    debt_ref: str
    debt_type: DebtType
    amount: Pence


@dataclass(frozen=True)
class Instalment:
    """One payment the debtor has agreed to make."""

    due_on: date
    amount: Pence


@dataclass(frozen=True)
class Arrangement:
    """An agreed plan: the debts it covers (one or several), the instalments, and the figures it rests on."""

    debts: tuple[ArrangedDebt, ...]
    instalments: tuple[Instalment, ...]
    statement: StandardFinancialStatement
    made_on: date
    affordable: bool
    within_policy: bool
    note: str = ""

    @property
    def total(self) -> Pence:
        """Everything the arrangement covers."""
        return sum(debt.amount for debt in self.debts)

    @property
    def is_combined(self) -> bool:
        """True when one arrangement covers several debts."""
        return len(self.debts) > 1


@dataclass(frozen=True)
class ReceivedPayment:
    """A payment towards the arrangement."""

    received_on: date
    amount: Pence


@dataclass(frozen=True)
class ArrangementDefault:
    """A missed instalment: the whole remaining balance is now due and recovery resumes."""

    missed_instalment: Instalment
    paid_to_date: Pence
    whole_balance_due: Pence


# Which debts a payment clears first when a customer owes several (DOMAIN.md 3, debt hierarchy).
_PRIORITY: dict[DebtType, int] = {
    DebtType.COUNCIL_HOUSING_RENT: 0,
    DebtType.TEMPORARY_ACCOMMODATION: 0,
    DebtType.COUNCIL_TAX: 1,
    DebtType.BUSINESS_RATES: 1,
    DebtType.PENALTY_CHARGE_NOTICE: 2,
    DebtType.ADULT_SOCIAL_CARE: 2,
    DebtType.LEGAL_COSTS: 2,
}


def debt_priority(debt_type: DebtType) -> int:
    """0 for rent and tenancy charges, 1 for council tax and rates, 2 for charges and fines, 3 for other debts."""
    return _PRIORITY.get(debt_type, 3)


def financial_year_end(day: date) -> date:
    """31 March ending the financial year that contains `day`."""
    return date(day.year if day.month <= 3 else day.year + 1, 3, 31)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Instalments due on the 29th-31st fall on the month's last day in shorter months.
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def monthly_dates_until(first_on: date, last_allowed: date) -> list[date]:
    """Monthly instalment dates from `first_on` while they fall on or before `last_allowed`."""
    dates: list[date] = []
    n = 0
    while (due := _add_months(first_on, n)) <= last_allowed:
        dates.append(due)
        n += 1
    return dates


def _split(total: Pence, count: int, first_on: date) -> tuple[Instalment, ...]:
    # Equal instalments rounded up, the last one taking what remains so the plan adds up to the penny.
    each = -(-total // count)
    amounts: list[Pence] = []
    remaining = total
    for _ in range(count):
        amount = min(each, remaining)
        if amount <= 0:
            break
        amounts.append(amount)
        remaining -= amount
    return tuple(Instalment(_add_months(first_on, n), amount) for n, amount in enumerate(amounts))


def propose_arrangement(
    debts: tuple[ArrangedDebt, ...],
    statement: StandardFinancialStatement,
    terms: ArrangementTerms,
    first_instalment_on: date,
    made_on: date,
    officer_allows_longer: bool = False,
) -> Arrangement:
    """An affordable monthly plan for one debt or several (combined), within the policy's terms where possible.

    Affordable means no instalment above the policy's share of the monthly surplus. The plan runs no longer
    than the policy allows: to 31 March with `clear_by_financial_year_end` (council tax, NELC 6.7), else
    `max_instalments` months. When the debt cannot be cleared in that time within the surplus, the plan is
    proposed over the policy's time and marked not affordable, for an officer to decide; an officer may allow
    a longer plan (`officer_allows_longer`, at most ten years), which is then marked outside the policy.
    """
    if not debts:
        raise ArrangementError("an arrangement covers at least one debt")
    if any(debt.amount <= 0 for debt in debts):
        raise ArrangementError("every arranged debt must have something to pay")
    ordered = tuple(sorted(debts, key=lambda debt: debt_priority(debt.debt_type)))
    total = sum(debt.amount for debt in ordered)
    affordable_each = percentage_of(statement.monthly_surplus, Decimal(terms.surplus_share_percent))
    if affordable_each <= 0:
        raise ArrangementError("no surplus on the financial statement: refer for free debt advice")
    months_needed = max(-(-total // max(affordable_each, terms.min_instalment)), 1)
    if terms.clear_by_financial_year_end:
        policy_months = len(monthly_dates_until(first_instalment_on, financial_year_end(first_instalment_on)))
    else:
        policy_months = terms.max_instalments
    limit = MAX_ARRANGEMENT_MONTHS if officer_allows_longer else policy_months
    count = max(min(months_needed, limit), 1)
    instalments = _split(total, count, first_instalment_on)
    affordable = max(i.amount for i in instalments) <= affordable_each
    within_policy = count <= policy_months
    notes: list[str] = []
    if not affordable:
        notes.append(
            "cannot be cleared in the time the policy allows within the surplus: needs an officer's decision"
        )
    if not within_policy:
        notes.append(
            f"runs {count} months, longer than the policy's {policy_months}, on an officer's authority"
        )
    return Arrangement(ordered, instalments, statement, made_on, affordable, within_policy, "; ".join(notes))


def allocate_to_debts(arrangement: Arrangement, paid_to_date: Pence) -> dict[str, Pence]:
    """How much of what has been paid under a combined arrangement has gone to each debt (hierarchy order)."""
    remaining = paid_to_date
    allocation: dict[str, Pence] = {}
    for debt in arrangement.debts:
        share = min(debt.amount, max(remaining, 0))
        allocation[debt.debt_ref] = share
        remaining -= share
    return allocation


def detect_default(
    arrangement: Arrangement,
    payments: tuple[ReceivedPayment, ...],
    business_date: date,
    grace_days: int = 0,
) -> ArrangementDefault | None:
    """The first instalment missed as of `business_date`, or None while the arrangement is kept.

    An instalment is missed when, `grace_days` after its due date and before the business date, the payments
    received do not add up to every instalment due so far.
    """
    owed_so_far = 0
    for instalment in arrangement.instalments:
        owed_so_far += instalment.amount
        deadline = date.fromordinal(instalment.due_on.toordinal() + grace_days)
        if deadline >= business_date:
            break
        paid_by_deadline = sum(p.amount for p in payments if p.received_on <= deadline)
        if paid_by_deadline < owed_so_far:
            paid_to_date = sum(p.amount for p in payments if p.received_on <= business_date)
            return ArrangementDefault(
                missed_instalment=instalment,
                paid_to_date=paid_to_date,
                whole_balance_due=max(arrangement.total - paid_to_date, 0),
            )
    return None
