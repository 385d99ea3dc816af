"""Arrangements: affordable from the Standard Financial Statement, council tax cleared by 31 March, defaults."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.recovery.domain.arrangements import (
    ArrangedDebt,
    ArrangementError,
    ReceivedPayment,
    StandardFinancialStatement,
    allocate_to_debts,
    detect_default,
    financial_year_end,
    propose_arrangement,
)
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import ArrangementTerms

MADE = date(2025, 6, 10)
FIRST = date(2025, 7, 1)


def _statement(income: int, expenditure: int) -> StandardFinancialStatement:
    return StandardFinancialStatement(
        income, expenditure, recorded_on=MADE, recorded_by="Debt adviser K. Jones"
    )


def test_the_financial_statement_surplus_is_income_less_expenditure():
    assert _statement(180_000, 165_000).monthly_surplus == 15_000
    assert _statement(100_000, 120_000).monthly_surplus == 0


def test_an_affordable_plan_never_asks_more_than_the_surplus():
    debts = (ArrangedDebt("inv-1", DebtType.SUNDRY, 60_000),)
    plan = propose_arrangement(debts, _statement(180_000, 170_000), ArrangementTerms(), FIRST, MADE)
    assert plan.affordable and plan.within_policy
    assert max(i.amount for i in plan.instalments) <= 10_000
    assert sum(i.amount for i in plan.instalments) == 60_000
    assert plan.statement.recorded_by == "Debt adviser K. Jones"


def test_a_council_tax_plan_clears_the_debt_by_the_end_of_the_financial_year():
    debts = (ArrangedDebt("ct-2025", DebtType.COUNCIL_TAX, 90_000),)
    terms = ArrangementTerms(clear_by_financial_year_end=True)
    plan = propose_arrangement(debts, _statement(250_000, 200_000), terms, FIRST, MADE)
    assert plan.instalments[-1].due_on <= date(2026, 3, 31)
    assert len(plan.instalments) == 2  # £500 a month is affordable, so two months clear it
    assert sum(i.amount for i in plan.instalments) == 90_000


def test_a_council_tax_plan_that_cannot_clear_by_march_within_the_surplus_goes_to_an_officer():
    debts = (ArrangedDebt("ct-2025", DebtType.COUNCIL_TAX, 200_000),)
    terms = ArrangementTerms(clear_by_financial_year_end=True)
    plan = propose_arrangement(debts, _statement(150_000, 140_000), terms, FIRST, MADE)
    assert plan.instalments[-1].due_on <= date(2026, 3, 31)
    assert not plan.affordable
    assert "officer" in plan.note
    assert plan.within_policy
    longer = propose_arrangement(
        debts, _statement(150_000, 140_000), terms, FIRST, MADE, officer_allows_longer=True
    )
    assert longer.affordable and longer.instalments[-1].due_on > date(2026, 3, 31)
    assert not longer.within_policy


def test_no_surplus_means_referral_for_advice_not_an_arrangement():
    with pytest.raises(ArrangementError, match="advice"):
        propose_arrangement(
            (ArrangedDebt("inv-1", DebtType.SUNDRY, 1_000),),
            _statement(100, 200),
            ArrangementTerms(),
            FIRST,
            MADE,
        )


def test_one_combined_arrangement_pays_rent_then_council_tax_then_other_debts():
    debts = (
        ArrangedDebt("inv-1", DebtType.SUNDRY, 10_000),
        ArrangedDebt("ct-1", DebtType.COUNCIL_TAX, 20_000),
        ArrangedDebt("rent-1", DebtType.COUNCIL_HOUSING_RENT, 5_000),
    )
    plan = propose_arrangement(debts, _statement(200_000, 190_000), ArrangementTerms(), FIRST, MADE)
    assert plan.is_combined and plan.total == 35_000
    assert [d.debt_ref for d in plan.debts] == ["rent-1", "ct-1", "inv-1"]
    assert allocate_to_debts(plan, 12_000) == {"rent-1": 5_000, "ct-1": 7_000, "inv-1": 0}


def test_a_missed_instalment_makes_the_whole_balance_due():
    debts = (ArrangedDebt("inv-1", DebtType.SUNDRY, 30_000),)
    plan = propose_arrangement(debts, _statement(110_000, 100_000), ArrangementTerms(), FIRST, MADE)
    first, second = plan.instalments[0], plan.instalments[1]
    payments = (ReceivedPayment(first.due_on, first.amount),)
    assert detect_default(plan, payments, second.due_on) is None
    missed = detect_default(plan, payments, second.due_on + timedelta(days=1))
    assert missed is not None
    assert missed.missed_instalment == second
    assert missed.whole_balance_due == 30_000 - first.amount


def test_a_late_payment_within_the_grace_days_is_not_a_default():
    debts = (ArrangedDebt("inv-1", DebtType.SUNDRY, 30_000),)
    plan = propose_arrangement(debts, _statement(110_000, 100_000), ArrangementTerms(), FIRST, MADE)
    first = plan.instalments[0]
    payments = (ReceivedPayment(first.due_on + timedelta(days=3), first.amount),)
    assert detect_default(plan, payments, first.due_on + timedelta(days=6), grace_days=5) is None
    assert detect_default(plan, (), first.due_on + timedelta(days=6), grace_days=5) is not None


def test_the_financial_year_ends_on_31_march():
    assert financial_year_end(date(2025, 4, 1)) == date(2026, 3, 31)
    assert financial_year_end(date(2026, 3, 31)) == date(2026, 3, 31)


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=4),
    surplus=st.integers(min_value=1, max_value=500_000),
    first=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    council_tax=st.booleans(),
)
def test_every_plan_adds_up_to_the_debts_to_the_penny(amounts, surplus, first, council_tax):
    debts = tuple(ArrangedDebt(f"d{n}", DebtType.SUNDRY, amount) for n, amount in enumerate(amounts))
    terms = ArrangementTerms(clear_by_financial_year_end=council_tax, min_instalment=1)
    plan = propose_arrangement(debts, _statement(surplus, 0), terms, first, first)
    assert sum(i.amount for i in plan.instalments) == sum(amounts)
    assert all(i.amount > 0 for i in plan.instalments)
    assert [i.due_on for i in plan.instalments] == sorted({i.due_on for i in plan.instalments})
    if plan.affordable:
        assert max(i.amount for i in plan.instalments) <= surplus
    assert len(plan.instalments) <= terms.max_instalments or council_tax
    if council_tax:
        assert plan.instalments[-1].due_on <= financial_year_end(first)
