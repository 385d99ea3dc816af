"""A housing benefit overpayment may be recovered by a direct earnings attachment without any court order, from an
individual whose employer is known, and not while it is recovered from benefit or under an arrangement being kept
(SS (Overpayments and Recovery) Regs 2013 Part 6); business rates have no attachment of earnings or charging order
(NDR Regulations 1989); and the employer's deductions follow the regulations' tables (CT Schedule 4; 2013 Regs
Schedule 2)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.post_order_enforcement import OrderedDebt, PostOrderEnforcement, may_enforce
from services.recovery.domain.post_order_letters import (
    COUNCIL_TAX_TABLES,
    DEA_HIGHER_TABLES,
    DEA_STANDARD_TABLES,
    Addressee,
    deduction,
    letters_for,
)

E = PostOrderEnforcement
DEA = E.DIRECT_EARNINGS_ATTACHMENT
OVERPAYMENT = OrderedDebt(
    debt_type=DebtType.HOUSING_BENEFIT_OVERPAYMENT,
    balance_pence=1_800_00,
    liability_order_granted=False,
    county_court_judgment=False,
    debtor_is_individual=True,
    enforcement_agents_failed=False,
    employer_known=True,
)


def test_a_direct_earnings_attachment_needs_no_court_order():
    assert may_enforce(DEA, OVERPAYMENT) is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"debtor_is_individual": False}, "only an individual's earnings can be attached"),
        ({"employer_known": False}, "needs the debtor's employer's name and address"),
        ({"recovering_from_benefit": True}, "being recovered from benefit"),
        ({"awaiting_benefits_system": True}, "the benefits system has not yet answered"),
        ({"arrangement_being_kept": True}, "an arrangement to repay the overpayment is being kept"),
        ({"balance_pence": 0}, "nothing is owed"),
    ],
)
def test_a_direct_earnings_attachment_is_refused_where_part_6_does_not_allow_it(change, reason):
    assert reason in (may_enforce(DEA, replace(OVERPAYMENT, **change)) or "")


@pytest.mark.parametrize("debt_type", [t for t in DebtType if t is not DebtType.HOUSING_BENEFIT_OVERPAYMENT])
def test_a_direct_earnings_attachment_is_for_housing_benefit_overpayments_only(debt_type):
    ordered = replace(
        OVERPAYMENT, debt_type=debt_type, liability_order_granted=True, county_court_judgment=True
    )
    assert "housing benefit overpayments only" in (may_enforce(DEA, ordered) or "")


def test_business_rates_have_no_attachment_of_earnings_or_charging_order_even_against_a_sole_trader():
    rates = replace(
        OVERPAYMENT, debt_type=DebtType.BUSINESS_RATES, liability_order_granted=True, balance_pence=5_000_00
    )
    assert "business rates have no attachment of earnings" in (
        may_enforce(E.ATTACHMENT_OF_EARNINGS, rates) or ""
    )
    assert "business rates have no charging order" in (may_enforce(E.CHARGING_ORDER, rates) or "")
    council_tax = replace(rates, debt_type=DebtType.COUNCIL_TAX)
    assert may_enforce(E.ATTACHMENT_OF_EARNINGS, council_tax) is None
    assert may_enforce(E.CHARGING_ORDER, council_tax) is None


def test_an_overpayment_with_a_judgment_may_still_take_the_court_route():
    judged = replace(OVERPAYMENT, county_court_judgment=True, recovering_from_benefit=True)
    assert may_enforce(E.CHARGING_ORDER, judged) is None
    assert (
        may_enforce(E.ATTACHMENT_OF_EARNINGS, replace(OVERPAYMENT, county_court_judgment=False)) is not None
    )


def test_who_each_step_writes_to():
    def to(step, debt_type):
        return [letter.to for letter in letters_for(step, debt_type)]

    assert to(E.ATTACHMENT_OF_EARNINGS, DebtType.COUNCIL_TAX) == [Addressee.EMPLOYER, Addressee.DEBTOR]
    assert to(E.ATTACHMENT_OF_EARNINGS, DebtType.SUNDRY) == [Addressee.DEBTOR]  # the county court's order
    assert to(E.ATTACHMENT_OF_BENEFITS, DebtType.COUNCIL_TAX) == [Addressee.BENEFITS_OFFICE, Addressee.DEBTOR]
    assert to(DEA, DebtType.HOUSING_BENEFIT_OVERPAYMENT) == [Addressee.EMPLOYER, Addressee.DEBTOR]
    for step in (
        E.CHARGING_ORDER,
        E.THIRD_PARTY_DEBT_ORDER,
        E.HIGH_COURT_ENFORCEMENT,
        E.INSOLVENCY,
        E.COMMITTAL,
    ):
        assert to(step, DebtType.COUNCIL_TAX) == [Addressee.DEBTOR]


def test_council_tax_deductions_follow_schedule_4():
    weekly, monthly, daily = COUNCIL_TAX_TABLES
    assert deduction(monthly, 300_00) == 0
    assert deduction(monthly, 500_00) == 15_00  # 3%
    assert deduction(monthly, 1_000_00) == 120_00  # 12%
    assert deduction(monthly, 3_020_00) == 343_40 + 500_00  # 17% of £2,020 and 50% of the £1,000 above
    assert deduction(weekly, 400_00) == 68_00  # 17%
    assert deduction(daily, 30_00) == 2_10  # 7%


def test_direct_earnings_attachment_deductions_follow_schedule_2_and_the_higher_rates_after_a_conviction():
    weekly, monthly = DEA_STANDARD_TABLES
    assert deduction(monthly, 430_00) == 0
    assert deduction(monthly, 1_000_00) == 70_00  # 7%
    assert deduction(monthly, 3_000_00) == 600_00  # 20% of the whole
    assert deduction(weekly, 300_00) == 33_00  # 11%
    higher_weekly, higher_monthly = DEA_HIGHER_TABLES
    assert deduction(higher_monthly, 400_00) == 20_00  # 5%, even under £430
    assert deduction(higher_monthly, 3_000_00) == 1_200_00  # 40%
    assert deduction(higher_weekly, 300_00) == 66_00  # 22%
