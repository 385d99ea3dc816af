"""A housing benefit overpayment is recovered in NELC 7.2's order: arrears of benefit, ongoing benefit, council tax
reduction, other benefits (DWP), then the invoice, a direct earnings attachment and agents."""

from __future__ import annotations

from services.recovery.domain.hb_order_of_recovery import (
    BenefitPosition,
    RecoveryMethod,
    asks_the_benefits_system,
    next_method,
)

ON_HOUSING_BENEFIT = BenefitPosition(receives_housing_benefit=True, receives_council_tax_reduction=True)


def test_arrears_of_benefit_are_used_first() -> None:
    position = BenefitPosition(arrears_of_benefit_pence=120_00, receives_housing_benefit=True)
    assert next_method(position) is RecoveryMethod.ARREARS_OF_BENEFIT


def test_an_overpayment_with_ongoing_benefit_is_recovered_from_it_before_any_invoice() -> None:
    assert next_method(ON_HOUSING_BENEFIT) is RecoveryMethod.ONGOING_BENEFIT
    assert asks_the_benefits_system(RecoveryMethod.ONGOING_BENEFIT)


def test_when_ongoing_benefit_stops_council_tax_reduction_is_next() -> None:
    assert (
        next_method(ON_HOUSING_BENEFIT, [RecoveryMethod.ONGOING_BENEFIT])
        is RecoveryMethod.COUNCIL_TAX_REDUCTION
    )


def test_other_dwp_benefits_come_before_the_invoice() -> None:
    position = BenefitPosition(receives_other_dwp_benefits=True)
    assert next_method(position) is RecoveryMethod.OTHER_BENEFITS_DWP


def test_with_no_benefit_left_the_overpayment_is_invoiced() -> None:
    stopped = [RecoveryMethod.ONGOING_BENEFIT, RecoveryMethod.COUNCIL_TAX_REDUCTION]
    assert next_method(ON_HOUSING_BENEFIT, stopped) is RecoveryMethod.INVOICE
    assert not asks_the_benefits_system(RecoveryMethod.INVOICE)


def test_after_the_invoice_an_employed_debtor_gets_a_direct_earnings_attachment_before_agents() -> None:
    employed = BenefitPosition(in_employment=True)
    assert next_method(employed, [RecoveryMethod.INVOICE]) is RecoveryMethod.DIRECT_EARNINGS_ATTACHMENT
    assert next_method(BenefitPosition(), [RecoveryMethod.INVOICE]) is RecoveryMethod.ENFORCEMENT_AGENTS


def test_the_benefits_system_does_the_first_four_methods_only() -> None:
    assert [m for m in RecoveryMethod if asks_the_benefits_system(m)] == [
        RecoveryMethod.ARREARS_OF_BENEFIT,
        RecoveryMethod.ONGOING_BENEFIT,
        RecoveryMethod.COUNCIL_TAX_REDUCTION,
        RecoveryMethod.OTHER_BENEFITS_DWP,
    ]
