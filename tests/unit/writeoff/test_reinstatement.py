"""Derby App.1 §12: a payment on a written-off debt reinstates the unpaid remainder for enforcement."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.writeoff.domain import WrittenOffDebt, reinstate_on_payment

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
