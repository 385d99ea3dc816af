"""A write-off is posted to the debt's income code; money arriving afterwards reinstates the debt and refers
any unpaid remainder back for enforcement (Derby App.1 §12)."""

from __future__ import annotations

import pytest

from services.billing.domain.write_off import post_write_off, reinstate_on_payment, write_off_refusals


def test_a_write_off_is_posted_against_the_income_code_the_debt_was_raised_to() -> None:
    posting = post_write_off(
        "inv-1", "L123", outstanding_pence=50_000, amount_pence=50_000, reason="deceased"
    )
    assert (posting.debt_id, posting.income_code, posting.amount_pence) == ("inv-1", "L123", 50_000)


def test_a_write_off_cannot_exceed_what_is_outstanding() -> None:
    assert write_off_refusals(10_000, 10_001)
    assert write_off_refusals(10_000, 0)
    with pytest.raises(ValueError):
        post_write_off("inv-1", "L123", 10_000, 10_001, "uneconomic")


def test_a_part_payment_after_write_off_reinstates_the_debt_and_refers_the_remainder() -> None:
    result = reinstate_on_payment(written_off_pence=50_000, payment_pence=5_000)
    assert result.reinstated_pence == 50_000
    assert result.applied_pence == 5_000
    assert result.unpaid_remainder_pence == 45_000
    assert result.surplus_pence == 0
    assert result.refer_for_enforcement


def test_a_payment_clearing_a_written_off_debt_leaves_nothing_to_refer_and_returns_any_surplus() -> None:
    result = reinstate_on_payment(written_off_pence=50_000, payment_pence=52_000)
    assert (result.applied_pence, result.unpaid_remainder_pence, result.surplus_pence) == (50_000, 0, 2_000)
    assert not result.refer_for_enforcement
