"""When interest and fees may accrue on a debt, and when a debt is open."""

from __future__ import annotations

from datetime import date

from services.billing.domain.debt_status import (
    CANCELLED,
    OPEN,
    WRITTEN_OFF,
    debt_is_open,
    due_for_late_payment_charges,
    status_after_write_off,
)

AS_OF = date(2026, 6, 1)


def test_only_an_open_debt_is_open():
    assert debt_is_open(OPEN)
    assert not debt_is_open(CANCELLED)
    assert not debt_is_open(WRITTEN_OFF)


def test_interest_accrues_on_an_open_overdue_debt_with_money_owed_not_yet_accrued_to_the_day():
    assert due_for_late_payment_charges(OPEN, 100, date(2026, 5, 31), None, AS_OF)
    assert due_for_late_payment_charges(OPEN, 100, date(2026, 5, 1), date(2026, 5, 31), AS_OF)


def test_nothing_accrues_on_the_due_date_itself_nor_twice_for_a_day():
    assert not due_for_late_payment_charges(OPEN, 100, AS_OF, None, AS_OF)
    assert not due_for_late_payment_charges(OPEN, 100, date(2026, 5, 1), AS_OF, AS_OF)


def test_nothing_accrues_on_a_paid_cancelled_or_written_off_debt():
    assert not due_for_late_payment_charges(OPEN, 0, date(2026, 5, 1), None, AS_OF)
    assert not due_for_late_payment_charges(CANCELLED, 100, date(2026, 5, 1), None, AS_OF)
    assert not due_for_late_payment_charges(WRITTEN_OFF, 100, date(2026, 5, 1), None, AS_OF)


def test_a_write_off_that_leaves_nothing_owed_closes_the_debt_as_written_off():
    assert status_after_write_off(OPEN, 0) == WRITTEN_OFF
    assert status_after_write_off(OPEN, 10_00) == OPEN
