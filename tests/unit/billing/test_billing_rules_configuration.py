"""A council's billing rules are read from YAML, with DOMAIN.md's defaults where a key is missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.billing.domain.billing_rules import (
    DEFAULT_RULES_PATH,
    ArrearsYearOrder,
    BillingRules,
    billing_rules_from_yaml,
)
from services.billing.domain.debt_types import DebtType, HierarchyClass
from services.billing.domain.late_payment_act import statutory_interest_percent


def test_an_empty_configuration_gives_the_defaults() -> None:
    assert billing_rules_from_yaml("") == BillingRules()
    assert BillingRules().minimum_charge_pence == 1_000


def test_the_shipped_configuration_charges_no_late_payment_because_derby_lists_it_as_an_option() -> None:
    rules = billing_rules_from_yaml(DEFAULT_RULES_PATH.read_text())
    assert rules.late_payment_terms_for(DebtType.SUNDRY) is None
    assert rules.late_payment_terms_for(DebtType.COUNCIL_TAX) is None
    assert rules.bank_of_england_base_rate.in_force_on(date(2023, 12, 31)) == Decimal("5.25")
    assert rules.settlement_days_for(DebtType.PENALTY_CHARGE_NOTICE) == 28
    assert rules.settlement_days_for(DebtType.ADULT_SOCIAL_CARE) == 30


def test_the_shipped_base_rates_follow_the_bank_of_englands_cut_to_3_75_percent_on_18_december_2025() -> None:
    base_rates = billing_rules_from_yaml(DEFAULT_RULES_PATH.read_text()).bank_of_england_base_rate
    assert base_rates.in_force_on(date(2025, 12, 17)) == Decimal("4.00")
    assert base_rates.in_force_on(date(2025, 12, 18)) == Decimal("3.75")
    # interest from 1 January to 30 June 2026 is at the rate of 31 December 2025 plus 8
    assert statutory_interest_percent(date(2026, 3, 1), base_rates) == Decimal("11.75")


def test_a_council_turns_on_the_late_payment_act_and_contractual_terms_for_sundry() -> None:
    rules = billing_rules_from_yaml(
        """
late_payment:
  sundry: {late_payment_act: true, annual_interest_percent: "8", late_fee: "40.00", fee_after_days: 30}
bank_of_england_base_rate: {"2023-08-03": "5.25"}
"""
    )
    terms = rules.late_payment_terms_for(DebtType.SUNDRY)
    assert terms is not None and terms.late_payment_act and terms.has_contractual_terms
    assert (terms.annual_interest_percent, terms.late_fee_pence) == (Decimal("8"), 4_000)


def test_statutory_interest_without_a_base_rate_table_is_refused_in_configuration() -> None:
    with pytest.raises(ValueError, match="base rate"):
        billing_rules_from_yaml("late_payment: {sundry: {late_payment_act: true}}")


def test_a_council_sets_its_own_minimum_terms_hierarchy_and_year_order() -> None:
    rules = billing_rules_from_yaml(
        """
minimum_charge: "5.00"
settlement_days: {sundry: 14}
council_tax_instalments: 12
hierarchy: {commercial_property_rent: rent_and_tenancy}
arrears_year_order: newest_first
"""
    )
    assert rules.minimum_charge_pence == 500
    assert rules.settlement_days_for(DebtType.SUNDRY) == 14
    assert rules.council_tax_instalments == 12
    assert rules.hierarchy_overrides == {DebtType.COMMERCIAL_PROPERTY_RENT: HierarchyClass.RENT_AND_TENANCY}
    assert rules.arrears_year_order is ArrearsYearOrder.NEWEST_FIRST


def test_interest_on_council_tax_and_unknown_types_are_refused_in_configuration() -> None:
    with pytest.raises(ValueError, match="regulated"):
        billing_rules_from_yaml("late_payment: {council_tax: {annual_interest_percent: '8'}}")
    with pytest.raises(ValueError, match="unknown debt type"):
        billing_rules_from_yaml("settlement_days: {water: 14}")
    with pytest.raises(ValueError):
        billing_rules_from_yaml("council_tax_instalments: 11")
