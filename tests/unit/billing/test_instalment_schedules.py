"""Council tax by 10 or 12 monthly instalments with the odd amount on the first; sundry by settlement terms."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.billing.domain.instalments import (
    add_months,
    council_tax_instalments,
    single_due_date_schedule,
    split_into_instalments,
)


def test_council_tax_puts_the_odd_pounds_and_pence_on_the_first_of_ten_instalments() -> None:
    plan = council_tax_instalments(123_456, date(2024, 4, 1))
    assert [i.amount_pence for i in plan] == [12_756] + [12_300] * 9
    assert [i.due_date for i in plan] == [date(2024, m, 1) for m in range(4, 13)] + [date(2025, 1, 1)]
    assert [i.number for i in plan] == list(range(1, 11))


def test_twelve_monthly_instalments_run_to_march() -> None:
    plan = council_tax_instalments(180_001, date(2024, 4, 15), count=12)
    assert len(plan) == 12
    assert plan[-1].due_date == date(2025, 3, 15)
    assert plan[0].amount_pence == 180_001 - 11 * 15_000


def test_penny_rounding_leaves_only_the_odd_pennies_on_the_first_instalment() -> None:
    assert split_into_instalments(100_003, 10, rounding_pence=1) == [10_003] + [10_000] * 9


def test_council_tax_is_not_split_into_other_numbers_of_instalments() -> None:
    with pytest.raises(ValueError):
        council_tax_instalments(100_000, date(2024, 4, 1), count=11)


def test_monthly_dates_are_held_to_the_end_of_short_months() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 31), 13) == date(2025, 2, 28)


def test_a_sundry_invoice_falls_due_after_its_settlement_terms() -> None:
    assert single_due_date_schedule(5_000, date(2024, 5, 1), 30)[0].due_date == date(2024, 5, 31)
    nelc = single_due_date_schedule(5_000, date(2024, 5, 1), 14)
    assert [(i.number, i.due_date, i.amount_pence) for i in nelc] == [(1, date(2024, 5, 15), 5_000)]


@given(st.integers(min_value=0, max_value=10_000_000), st.sampled_from([10, 12]), st.sampled_from([1, 100]))
def test_instalments_always_add_up_and_later_ones_are_equal_and_no_larger_than_the_first(
    total: int, count: int, rounding: int
) -> None:
    amounts = split_into_instalments(total, count, rounding)
    assert sum(amounts) == total
    assert len(amounts) == count
    assert len(set(amounts[1:])) <= 1
    assert all(a >= 0 for a in amounts)
    assert amounts[0] >= amounts[1]
    assert amounts[0] - amounts[1] < count * rounding
