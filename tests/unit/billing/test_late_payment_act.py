"""The Late Payment of Commercial Debts (Interest) Act 1998: statutory interest and fixed sums from business
debtors only, at 8% over the Bank of England base rate fixed for each six months (the rate on 31 December for
January to June, on 30 June for July to December); fixed sums £40 / £70 / £100 by the debt's size, once;
individuals only where the charge's contract provides."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.late_payment_act import (
    BaseRateChange,
    BaseRateTable,
    LatePaymentBasis,
    fixed_sum_pence,
    late_payment_basis,
    reference_day,
    reference_periods,
    statutory_interest_percent,
)
from services.billing.domain.late_payment_charges import fixed_sum_charge, statutory_interest_charges

BASE_RATES = BaseRateTable(
    (
        BaseRateChange(date(2023, 8, 3), Decimal("5.25")),
        BaseRateChange(date(2024, 8, 1), Decimal("5.00")),
        BaseRateChange(date(2024, 11, 7), Decimal("4.75")),
    )
)


def test_fixed_sums_by_the_size_of_the_debt() -> None:
    assert fixed_sum_pence(999_99) == 40_00
    assert fixed_sum_pence(1_000_00) == 70_00
    assert fixed_sum_pence(9_999_99) == 70_00
    assert fixed_sum_pence(10_000_00) == 100_00


def test_the_reference_rate_is_the_base_rate_on_31_december_or_30_june_before_the_six_months() -> None:
    assert reference_day(date(2025, 3, 1)) == date(2024, 12, 31)
    assert reference_day(date(2024, 9, 1)) == date(2024, 6, 30)
    # The base rate fell to 5% on 1 August 2024, but interest to 31 December 2024 stays at 5.25% + 8%.
    assert statutory_interest_percent(date(2024, 12, 31), BASE_RATES) == Decimal("13.25")
    assert statutory_interest_percent(date(2025, 1, 1), BASE_RATES) == Decimal("12.75")


def test_interest_across_31_december_is_charged_per_six_months_at_each_rate() -> None:
    assert reference_periods(date(2024, 12, 20), date(2025, 1, 10)) == [
        (date(2024, 12, 20), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 10)),
    ]
    charges = statutory_interest_charges(
        "inv", 2_000_00, BASE_RATES, date(2024, 12, 19), date(2024, 12, 20), date(2025, 1, 10)
    )
    # £2,000 x 13.25% x 12/365 = £8.71; then x 12.75% x 10/365 = £6.99.
    assert [(c.period_start, c.annual_interest_percent, c.amount_pence) for c in charges] == [
        (date(2024, 12, 20), Decimal("13.25"), 8_71),
        (date(2025, 1, 1), Decimal("12.75"), 6_99),
    ]


def test_the_fixed_sum_is_due_once_when_statutory_interest_begins_to_run() -> None:
    due = date(2025, 3, 31)
    assert fixed_sum_charge("inv", due, due, 1_450_00, already_charged=False) is None
    fee = fixed_sum_charge("inv", due, date(2025, 4, 1), 1_450_00, already_charged=False)
    assert fee is not None and (fee.period_start, fee.amount_pence) == (date(2025, 4, 1), 70_00)
    assert fixed_sum_charge("inv", due, date(2025, 5, 1), 1_450_00, already_charged=True) is None


def test_a_fixed_sum_falling_in_a_breathing_space_is_never_charged() -> None:
    due = date(2025, 3, 31)
    hold = BreathingSpaceHold(date(2025, 3, 20))
    assert fixed_sum_charge("inv", due, date(2025, 6, 1), 500_00, False, holds=[hold]) is None


def test_only_a_business_debtor_is_charged_under_the_act() -> None:
    assert late_payment_basis(True, False, debtor_is_business=True, contract_provides=False) is (
        LatePaymentBasis.LATE_PAYMENT_ACT
    )
    assert late_payment_basis(True, True, debtor_is_business=False, contract_provides=False) is None


def test_an_individual_is_charged_only_where_the_contract_provides_on_the_contractual_terms() -> None:
    assert late_payment_basis(True, True, debtor_is_business=False, contract_provides=True) is (
        LatePaymentBasis.CONTRACT
    )
    assert late_payment_basis(False, False, debtor_is_business=False, contract_provides=True) is None


def test_a_council_that_claims_nothing_charges_nobody() -> None:
    assert late_payment_basis(False, True, debtor_is_business=True, contract_provides=False) is None


def test_a_day_before_the_first_configured_base_rate_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="no Bank of England base rate"):
        BASE_RATES.in_force_on(date(2023, 6, 30))
