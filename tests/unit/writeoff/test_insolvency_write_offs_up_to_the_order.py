"""A formal insolvency write-off reaches only the debt owed up to the date of the order (Derby App.1 §7). The
write-off service keeps only a debt's latest balance and the date it was raised, so the requester states the
order's date and what was owed on it; the service refuses a request without them, an amount beyond what was
owed at the order date, an order dated after the request, and a debt raised after the order."""

from __future__ import annotations

import dataclasses
from datetime import date

from services.writeoff.domain import (
    DebtStanding,
    RefusalCode,
    WriteOffRequest,
    schedule_hash,
    validate_request,
)

from .write_off_lines import a_line, a_schedule, council_policy

DERBY_REASONS = council_policy("derby").reasons
ORDER = date(2026, 3, 2)
# £1,850 owed now: £1,600 owed on the day of the bankruptcy order, then £250 of costs and charges after it.
STANDING = DebtStanding(balance_pence=1_850_00, raised_on=date(2025, 5, 1))


def _insolvency(amount: int, order: date | None = ORDER, owed: int | None = 1_600_00) -> WriteOffRequest:
    return dataclasses.replace(
        a_line(1, amount, reason="formal_insolvency"),
        requested_on=date(2026, 11, 23),
        insolvency_order_date=order,
        owed_at_order_date_pence=owed,
    )


def _codes(request: WriteOffRequest, standing: DebtStanding = STANDING) -> list[RefusalCode]:
    return [refusal.code for refusal in validate_request(request, standing, DERBY_REASONS)]


def test_the_debt_owed_at_the_order_date_is_written_off() -> None:
    assert _codes(_insolvency(1_600_00)) == []


def test_what_accrued_after_the_order_is_not_written_off_for_insolvency() -> None:
    # The whole £1,850 balance asked for: £250 of it accrued after the order of 2 March 2026.
    (refusal,) = validate_request(_insolvency(1_850_00), STANDING, DERBY_REASONS)
    assert refusal.code is RefusalCode.BEYOND_DEBT_AT_ORDER_DATE
    assert "£1,850.00 is more than the £1,600.00 owed on the date of the insolvency order" in refusal.message


def test_an_insolvency_write_off_needs_the_order_date_and_the_amount_owed_on_it() -> None:
    assert _codes(_insolvency(1_600_00, order=None, owed=None)) == [
        RefusalCode.INSOLVENCY_ORDER_DATE_REQUIRED,
        RefusalCode.OWED_AT_ORDER_DATE_REQUIRED,
    ]
    assert _codes(_insolvency(1_600_00, owed=0)) == [RefusalCode.OWED_AT_ORDER_DATE_REQUIRED]


def test_an_order_dated_after_the_request_is_refused() -> None:
    assert _codes(_insolvency(1_600_00, order=date(2026, 12, 1))) == [RefusalCode.INSOLVENCY_ORDER_IN_FUTURE]


def test_a_debt_raised_after_the_order_is_not_written_off_for_insolvency() -> None:
    raised_later = DebtStanding(balance_pence=1_850_00, raised_on=date(2026, 4, 1))
    assert _codes(_insolvency(1_600_00), raised_later) == [RefusalCode.DEBT_RAISED_AFTER_ORDER]


def test_the_amount_owed_at_the_order_date_never_lifts_the_write_off_above_the_balance() -> None:
    # A dividend of £400 since the order leaves £1,200: the write-off is capped by the balance as ever.
    after_dividend = DebtStanding(balance_pence=1_200_00, raised_on=date(2025, 5, 1))
    assert _codes(_insolvency(1_600_00), after_dividend) == [RefusalCode.AMOUNT_EXCEEDS_BALANCE]
    assert _codes(_insolvency(1_200_00), after_dividend) == []


def test_other_reasons_need_no_order_date() -> None:
    assert _codes(a_line(1, 1_850_00)) == []


def test_the_order_date_and_amount_owed_are_part_of_what_the_approver_signs() -> None:
    line = _insolvency(1_600_00)
    restated = dataclasses.replace(line, owed_at_order_date_pence=1_700_00)
    assert schedule_hash(a_schedule(line)) != schedule_hash(a_schedule(restated))
    # A line with no order serialises as it always did, so its hash is unchanged.
    plain = a_line(2, 100)
    assert schedule_hash(a_schedule(plain)) == schedule_hash(a_schedule(dataclasses.replace(plain)))
