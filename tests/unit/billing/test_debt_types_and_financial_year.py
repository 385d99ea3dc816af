"""Every council debt type has a place in the hierarchy, and dates fall in the right financial year."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.billing.domain.debt_types import (
    DEFAULT_HIERARCHY,
    DebtType,
    HierarchyClass,
    hierarchy_class,
    is_regulated,
    parse_debt_type,
)
from services.billing.domain.financial_year import FinancialYear, financial_year_of


def test_every_debt_type_has_a_hierarchy_class() -> None:
    assert set(DEFAULT_HIERARCHY) == set(DebtType)


def test_rent_comes_before_council_tax_which_comes_before_parking_which_comes_before_sundry() -> None:
    ranks = [
        hierarchy_class(DebtType.COUNCIL_HOUSING_RENT),
        hierarchy_class(DebtType.COUNCIL_TAX),
        hierarchy_class(DebtType.PENALTY_CHARGE_NOTICE),
        hierarchy_class(DebtType.SUNDRY),
    ]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == 4
    assert hierarchy_class(DebtType.BUSINESS_RATES) is HierarchyClass.COUNCIL_TAX_AND_RATES
    assert hierarchy_class(DebtType.TEMPORARY_ACCOMMODATION) is HierarchyClass.RENT_AND_TENANCY


def test_only_council_tax_and_business_rates_are_regulated() -> None:
    assert {t for t in DebtType if is_regulated(t)} == {DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES}


def test_debt_types_are_read_forgivingly_and_unknown_ones_are_none() -> None:
    assert parse_debt_type("Council Tax") is DebtType.COUNCIL_TAX
    assert parse_debt_type("penalty-charge-notice") is DebtType.PENALTY_CHARGE_NOTICE
    assert parse_debt_type("water_rates") is None


def test_the_financial_year_runs_from_1_april_to_31_march() -> None:
    assert financial_year_of(date(2025, 3, 31)) == FinancialYear(2024)
    assert financial_year_of(date(2025, 4, 1)) == FinancialYear(2025)
    assert FinancialYear(2024).label == "2024/25"
    assert FinancialYear(1999).label == "1999/00"
    assert FinancialYear.parse("2023/24") == FinancialYear(2023)


@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)))
def test_every_date_is_in_exactly_the_year_financial_year_of_names(day: date) -> None:
    year = financial_year_of(day)
    assert year.contains(day)
    assert not year.previous().contains(day)
    assert financial_year_of(year.ends + timedelta(days=1)) == FinancialYear(year.start_year + 1)
