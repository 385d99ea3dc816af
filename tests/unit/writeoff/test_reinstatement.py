"""Derby App.1 §12: a payment on a written-off debt reinstates the unpaid remainder for enforcement, unless the
debt can no longer lawfully be enforced (remitted, insolvency, prison in lieu, statute barred): then it is put
for consideration (issue 19)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.writeoff.domain import (
    NO_LONGER_ENFORCEABLE_REASONS,
    PaymentForConsideration,
    Reinstatement,
    WrittenOffDebt,
    decide_payment_on_written_off_debt,
    no_longer_enforceable,
    reinstate_on_payment,
)

from .write_off_lines import council_policy

WRITTEN_OFF = WrittenOffDebt(
    debt_id="DEBT-1",
    customer_id="CUST-1",
    council="derby",
    income_code="INC-4410",
    written_off_pence=120_000,
    written_off_on=date(2024, 5, 1),
    schedule_id="SCH-1",
)
PAID_ON = date(2024, 9, 2)


def test_a_payment_after_write_off_reinstates_the_remainder_and_refers_it_for_enforcement() -> None:
    referral = council_policy("derby").reinstatement_referral_role
    reinstatement = reinstate_on_payment(WRITTEN_OFF, 20_000, PAID_ON, referral)
    assert reinstatement.remainder_pence == 100_000
    assert reinstatement.payment_applied_pence == 20_000
    assert reinstatement.excess_pence == 0
    assert reinstatement.refer_for_enforcement
    assert reinstatement.referred_to_role == "head_of_business_support_and_debt_management"
    assert reinstatement.income_code == "INC-4410"


def test_a_payment_of_the_whole_amount_leaves_nothing_to_enforce() -> None:
    reinstatement = reinstate_on_payment(WRITTEN_OFF, 120_000, PAID_ON, "head_of_business_support")
    assert reinstatement.remainder_pence == 0
    assert not reinstatement.refer_for_enforcement
    assert reinstatement.referred_to_role is None


def test_a_payment_beyond_the_written_off_amount_is_reported_as_excess() -> None:
    reinstatement = reinstate_on_payment(WRITTEN_OFF, 150_000, PAID_ON)
    assert (reinstatement.payment_applied_pence, reinstatement.excess_pence) == (120_000, 30_000)


@pytest.mark.parametrize("payment", [0, -1])
def test_only_a_real_payment_reinstates(payment: int) -> None:
    with pytest.raises(ValueError):
        reinstate_on_payment(WRITTEN_OFF, payment, PAID_ON)


@given(st.integers(min_value=1, max_value=10_000_000), st.integers(min_value=1, max_value=10_000_000))
def test_remainder_plus_payment_applied_is_the_written_off_amount(written_off: int, payment: int) -> None:
    debt = WrittenOffDebt("D", "C", "derby", "INC", written_off, date(2024, 4, 1), "S")
    reinstatement = reinstate_on_payment(debt, payment, PAID_ON)
    assert reinstatement.remainder_pence + reinstatement.payment_applied_pence == written_off
    assert reinstatement.payment_applied_pence + reinstatement.excess_pence == payment
    assert reinstatement.remainder_pence == max(written_off - payment, 0)


@pytest.mark.parametrize(
    "reason_code",
    ["remitted_by_court", "formal_insolvency", "insolvency", "prison_served_in_lieu", "statute_barred"],
)
def test_a_payment_on_a_debt_that_can_no_longer_lawfully_be_enforced_is_put_for_consideration(
    reason_code: str,
) -> None:
    referral = council_policy("derby").reinstatement_referral_role
    debt = replace(WRITTEN_OFF, reason_code=reason_code)
    outcome = decide_payment_on_written_off_debt(debt, 20_000, PAID_ON, referral)
    assert isinstance(outcome, PaymentForConsideration)
    assert (outcome.payment_pence, outcome.written_off_pence, outcome.referred_to_role) == (
        20_000,
        120_000,
        referral,
    )


@pytest.mark.parametrize(
    "reason_code", ["absconded_untraceable", "uneconomic_small_balance", "deceased_no_estate", "other"]
)
def test_a_payment_on_a_debt_written_off_for_any_other_reason_reinstates_it(reason_code: str) -> None:
    debt = replace(WRITTEN_OFF, reason_code=reason_code)
    outcome = decide_payment_on_written_off_debt(debt, 20_000, PAID_ON)
    assert isinstance(outcome, Reinstatement)
    assert (outcome.remainder_pence, outcome.refer_for_enforcement) == (100_000, True)


def test_the_reasons_that_end_lawful_enforcement_are_all_in_the_councils_catalogue() -> None:
    for council in ("derby", "district_sundry", "nelc", "rbwm"):
        codes = set(council_policy(council).reasons.codes)
        assert {code for code in codes if no_longer_enforceable(code)} <= NO_LONGER_ENFORCEABLE_REASONS
        assert "formal_insolvency" in codes and "remitted_by_court" in codes
