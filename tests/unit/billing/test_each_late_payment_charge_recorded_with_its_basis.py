"""Each late payment charge is recorded with the rule that made it (issue 19): under the Late Payment of
Commercial Debts (Interest) Act 1998 (a business debtor) the interest keeps its reference day and the Bank of
England base rate in force on it (the reference rate, + 8%), the fixed sum the band the debt's size fell in
(under £1,000: £40; £1,000 to £9,999.99: £70; £10,000 or more: £100); on the contract (the only way an
individual is charged), the contract alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.billing.domain.late_payment_act import (
    ChargeBasis,
    FixedSumBand,
    LatePaymentBasis,
    base_rate_table_from_mapping,
    fixed_sum_band,
)
from services.billing.domain.late_payment_charges import (
    fixed_sum_charge,
    interest_charges,
    late_fee_charge,
    statutory_interest_charges,
)
from services.billing.domain.late_payment_terms import LatePaymentTerms

BASE_RATES = base_rate_table_from_mapping(
    {"2020-03-19": "0.10", "2023-08-03": "5.25", "2024-08-01": "5.00", "2024-11-07": "4.75"}
)
CONTRACT_TERMS = LatePaymentTerms(
    annual_interest_percent=Decimal("8"), late_fee_pence=40_00, fee_after_days=30
)


def test_statutory_interest_is_recorded_with_its_reference_day_and_the_base_rate_in_force_on_it() -> None:
    # £1,450 due 31 January 2021, 1 February to 2 March: the base rate on 31 December 2020 was 0.10%, so
    # 8.10% a year: £1,450 x 8.10% x 30/365 = £9.65.
    [charge] = statutory_interest_charges(
        "inv", 1_450_00, BASE_RATES, date(2021, 1, 31), date(2021, 2, 1), date(2021, 3, 2)
    )
    assert (charge.amount_pence, charge.annual_interest_percent) == (9_65, Decimal("8.10"))
    assert charge.basis == ChargeBasis(LatePaymentBasis.LATE_PAYMENT_ACT, date(2020, 12, 31), Decimal("0.10"))


def test_statutory_interest_across_31_december_keeps_each_six_months_reference_rate() -> None:
    # £2,000: to 31 December at 5.25% (the rate on 30 June 2024) + 8% = 13.25%, 12 days = £8.71; from
    # 1 January at 4.75% (the rate on 31 December 2024) + 8% = 12.75%, 10 days = £6.99.
    charges = statutory_interest_charges(
        "inv", 2_000_00, BASE_RATES, date(2024, 12, 19), date(2024, 12, 20), date(2025, 1, 10)
    )
    assert [(c.amount_pence, c.basis) for c in charges] == [
        (8_71, ChargeBasis(LatePaymentBasis.LATE_PAYMENT_ACT, date(2024, 6, 30), Decimal("5.25"))),
        (6_99, ChargeBasis(LatePaymentBasis.LATE_PAYMENT_ACT, date(2024, 12, 31), Decimal("4.75"))),
    ]


def test_the_fixed_sum_bands_by_the_size_of_the_debt() -> None:
    assert fixed_sum_band(999_99) is FixedSumBand.UNDER_1000
    assert fixed_sum_band(1_000_00) is FixedSumBand.FROM_1000_TO_9999_99
    assert fixed_sum_band(9_999_99) is FixedSumBand.FROM_1000_TO_9999_99
    assert fixed_sum_band(10_000_00) is FixedSumBand.FROM_10000


def test_the_fixed_sum_is_recorded_with_the_band_the_debt_fell_in() -> None:
    due, next_day = date(2021, 1, 31), date(2021, 2, 1)
    for debt, pence, band in [
        (999_99, 40_00, FixedSumBand.UNDER_1000),
        (1_450_00, 70_00, FixedSumBand.FROM_1000_TO_9999_99),
        (12_000_00, 100_00, FixedSumBand.FROM_10000),
    ]:
        fee = fixed_sum_charge("inv", due, next_day, debt, already_charged=False)
        assert fee is not None and fee.amount_pence == pence
        assert fee.basis == ChargeBasis(LatePaymentBasis.LATE_PAYMENT_ACT, fixed_sum_band=band)


def test_contractual_interest_and_fee_are_recorded_as_charged_on_the_contract() -> None:
    # The council's contractual 8% on £1,450 for 30 days: £9.53; its £40 fee 30 days after the due date.
    [interest] = interest_charges(
        "inv", 1_450_00, CONTRACT_TERMS, date(2021, 1, 31), date(2021, 2, 1), date(2021, 3, 2)
    )
    fee = late_fee_charge("inv", CONTRACT_TERMS, date(2021, 1, 31), date(2021, 3, 2), 1_450_00, False)
    assert interest.amount_pence == 9_53 and fee is not None and fee.amount_pence == 40_00
    assert interest.basis == fee.basis == ChargeBasis(LatePaymentBasis.CONTRACT)
    assert interest.basis.reference_day is None and interest.basis.base_rate_percent is None
    assert fee.basis.fixed_sum_band is None
