"""After a liability order or judgment an officer may choose an enforcement step only where the law allows it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.post_order_enforcement import OrderedDebt, PostOrderEnforcement, may_enforce

E = PostOrderEnforcement
COUNCIL_TAX = OrderedDebt(
    debt_type=DebtType.COUNCIL_TAX,
    balance_pence=1_200_00,
    liability_order_granted=True,
    county_court_judgment=False,
    debtor_is_individual=True,
    enforcement_agents_failed=False,
)
SUNDRY_JUDGMENT = replace(
    COUNCIL_TAX, debt_type=DebtType.SUNDRY, liability_order_granted=False, county_court_judgment=True
)


@pytest.mark.parametrize("step", list(E))
def test_nothing_is_allowed_without_the_order(step: E) -> None:
    assert "liability order" in (may_enforce(step, replace(COUNCIL_TAX, liability_order_granted=False)) or "")
    assert "county court judgment" in (
        may_enforce(step, replace(SUNDRY_JUDGMENT, county_court_judgment=False)) or ""
    )


def test_committal_is_for_council_tax_individuals_after_agents_have_failed() -> None:
    assert may_enforce(E.COMMITTAL, COUNCIL_TAX) == (
        "committal only after enforcement agents have been unable to recover the sum"
    )
    failed = replace(COUNCIL_TAX, enforcement_agents_failed=True)
    assert may_enforce(E.COMMITTAL, failed) is None
    assert may_enforce(E.COMMITTAL, replace(failed, debtor_is_individual=False)) == (
        "only an individual can be committed to prison"
    )
    assert may_enforce(E.COMMITTAL, replace(SUNDRY_JUDGMENT, enforcement_agents_failed=True)) == (
        "committal is for council tax and business rates only"
    )


def test_a_council_in_wales_cannot_seek_committal_for_council_tax_but_can_for_business_rates() -> None:
    failed_in_wales = replace(COUNCIL_TAX, enforcement_agents_failed=True, council_in_wales=True)
    assert may_enforce(E.COMMITTAL, failed_in_wales) == (
        "Wales abolished committal to prison for council tax from 1 April 2019"
    )
    assert may_enforce(E.COMMITTAL, replace(failed_in_wales, debt_type=DebtType.BUSINESS_RATES)) is None
    assert may_enforce(E.ATTACHMENT_OF_EARNINGS, failed_in_wales) is None  # only committal is gone


def test_attachments_are_for_individuals_and_benefits_for_council_tax_only() -> None:
    assert may_enforce(E.ATTACHMENT_OF_EARNINGS, COUNCIL_TAX) is None
    assert may_enforce(E.ATTACHMENT_OF_EARNINGS, replace(COUNCIL_TAX, debtor_is_individual=False)) is not None
    assert may_enforce(E.ATTACHMENT_OF_BENEFITS, COUNCIL_TAX) is None
    assert (
        may_enforce(E.ATTACHMENT_OF_BENEFITS, replace(COUNCIL_TAX, debt_type=DebtType.BUSINESS_RATES))
        is not None
    )


def test_a_charging_order_on_a_liability_order_needs_a_thousand_pounds() -> None:
    assert may_enforce(E.CHARGING_ORDER, COUNCIL_TAX) is None
    assert "£1,000" in (may_enforce(E.CHARGING_ORDER, replace(COUNCIL_TAX, balance_pence=999_99)) or "")
    assert may_enforce(E.CHARGING_ORDER, replace(SUNDRY_JUDGMENT, balance_pence=200_00)) is None


def test_third_party_debt_orders_and_the_high_court_need_a_judgment_of_the_county_court() -> None:
    assert may_enforce(E.THIRD_PARTY_DEBT_ORDER, COUNCIL_TAX) is not None
    assert may_enforce(E.THIRD_PARTY_DEBT_ORDER, SUNDRY_JUDGMENT) is None
    assert may_enforce(E.HIGH_COURT_ENFORCEMENT, SUNDRY_JUDGMENT) is None
    assert "£600" in (
        may_enforce(E.HIGH_COURT_ENFORCEMENT, replace(SUNDRY_JUDGMENT, balance_pence=599_99)) or ""
    )


def test_bankruptcy_needs_five_thousand_pounds_and_winding_up_seven_hundred_and_fifty() -> None:
    assert "£5,000" in (may_enforce(E.INSOLVENCY, COUNCIL_TAX) or "")
    assert may_enforce(E.INSOLVENCY, replace(COUNCIL_TAX, balance_pence=5_000_00)) is None
    company = replace(SUNDRY_JUDGMENT, debtor_is_individual=False, balance_pence=750_00)
    assert may_enforce(E.INSOLVENCY, company) is None
    assert "£750" in (may_enforce(E.INSOLVENCY, replace(company, balance_pence=749_99)) or "")
